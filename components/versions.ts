// Every chart and application version the platform deploys, in one visible place. Exact
// versions only: a range or "latest" would let two `pulumi up`s of the same commit deploy
// different software. Bump deliberately, one chart per change, after reading its changelog.

export interface ChartRef {
    /** Chart name in its repository. */
    readonly chart: string;
    /** Helm repository URL (https). */
    readonly repo: string;
    /** Exact chart version. */
    readonly version: string;
}

export const CHARTS = {
    argocd: { chart: "argo-cd", repo: "https://argoproj.github.io/argo-helm", version: "9.1.0" },
    vault: { chart: "vault", repo: "https://helm.releases.hashicorp.com", version: "0.30.0" },
    externalSecrets: { chart: "external-secrets", repo: "https://charts.external-secrets.io", version: "0.19.2" },
    kyverno: { chart: "kyverno", repo: "https://kyverno.github.io/kyverno/", version: "3.5.2" },
    policyReporter: { chart: "policy-reporter", repo: "https://kyverno.github.io/policy-reporter", version: "3.3.0" },
    vcluster: { chart: "vcluster", repo: "https://charts.loft.sh", version: "0.28.0" },
} as const satisfies Record<string, ChartRef>;

/** cert-manager is installed through @pulumi/kubernetes-cert-manager, which takes the chart version. */
export const CERT_MANAGER_VERSION = "v1.18.2";
export const CERT_MANAGER_REPO = "https://charts.jetstack.io";

/**
 * The upstream tools the test suite and `plan --render` run, pinned here beside the charts they
 * judge. `npm run tools -- install` builds them from the Go module proxy into `.tools/`.
 * - helm: the Helm 3 line, which the Kubernetes provider embeds.
 * - kyverno: the CLI of the Kyverno release that the pinned kyverno chart deploys (chart 3.5.2
 *   ships appVersion v1.15.2), so the CLI judges the ClusterPolicies as the cluster would.
 * `versionVariable` is the Go variable the upstream release build stamps with the version (as its
 * Makefile does with -ldflags -X), so `helm version` and `kyverno version` report the pin.
 */
export const TOOLS = {
    helm: { module: "helm.sh/helm/v3", package: "./cmd/helm", version: "v3.19.0", versionVariable: "helm.sh/helm/v3/internal/version.version" },
    kyverno: { module: "github.com/kyverno/kyverno", package: "./cmd/cli/kubectl-kyverno", version: "v1.15.2", versionVariable: "github.com/kyverno/kyverno/pkg/version.BuildVersion" },
} as const;
