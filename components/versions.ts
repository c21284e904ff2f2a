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
 * `stamp` holds the Go variables the upstream release build sets with `-ldflags -X` (as their
 * Makefiles do): the version both tools report, and for helm the Kubernetes version it assumes
 * when no cluster is asked (`.Capabilities.KubeVersion`, the client-go minor it is built with:
 * v0.34 → 1.34). Without it a source build assumes 1.20 and charts requiring >= 1.25 refuse.
 */
export const TOOLS = {
    helm: {
        module: "helm.sh/helm/v3", package: "./cmd/helm", version: "v3.19.0",
        stamp: {
            "helm.sh/helm/v3/internal/version.version": "v3.19.0",
            "helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor": "1",
            "helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor": "34",
            "helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor": "1",
            "helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor": "34",
        },
    },
    kyverno: {
        module: "github.com/kyverno/kyverno", package: "./cmd/cli/kubectl-kyverno", version: "v1.15.2",
        stamp: { "github.com/kyverno/kyverno/pkg/version.BuildVersion": "v1.15.2" },
    },
} as const;

/**
 * The Kubernetes version `plan --render` renders the charts for (`helm template --kube-version`,
 * what charts see as `.Capabilities.KubeVersion`): the one the pinned helm assumes offline (its
 * stamp above), passed explicitly so a helm built any other way renders the same. Against a
 * cluster, helm.v4.Chart asks the API server instead.
 */
export const RENDER_KUBERNETES_VERSION =
    `v${TOOLS.helm.stamp["helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor"]}.${TOOLS.helm.stamp["helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor"]}.0`;
