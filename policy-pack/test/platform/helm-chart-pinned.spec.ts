import { expect } from "chai";
import { helmChartPinned as rule } from "../../catalog/platform/helm-chart-pinned";
import type { PulumiResource } from "../../catalog/core/types";

const context = { settings: { allowedChartRepositories: ["https://argoproj.github.io/argo-helm", "oci://ghcr.io/loft-sh/charts/"] } };

function chart(props: Record<string, unknown>, type = "kubernetes:helm.sh/v4:Chart"): PulumiResource {
    return {
        type,
        name: "hub-argocd",
        props: { chart: "argo-cd", version: "7.7.11", namespace: "argocd", repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" }, values: {}, ...props },
    };
}

describe("helm-chart-pinned", () => {
    it("passes a chart from an allowed repository at an exact version (v4 Chart and v3 Release)", () => {
        expect(rule.check(chart({}), context)).to.deep.equal([]);
        expect(rule.check(chart({}, "kubernetes:helm.sh/v3:Release"), context)).to.deep.equal([]);
        expect(rule.check(chart({ repositoryOpts: { repo: "https://argoproj.github.io/argo-helm/" } }), context)).to.deep.equal([]);
        expect(rule.check(chart({ version: "v1.16.2" }), context)).to.deep.equal([]);
        expect(rule.check(chart({ version: "1.0.0-rc.1+build.5" }), context)).to.deep.equal([]);
    });

    it("passes an oci:// chart under an allowed prefix", () => {
        expect(rule.check(chart({ chart: "oci://ghcr.io/loft-sh/charts/vcluster", repositoryOpts: undefined, version: "0.21.2" }), context)).to.deep.equal([]);
    });

    it("checks the chart @pulumi/kubernetes-cert-manager installs through helmOptions", () => {
        const certManager = (helmOptions: Record<string, unknown>): PulumiResource => ({
            type: "kubernetes-cert-manager:index:CertManager", name: "cert-manager-chart", props: { installCRDs: true, helmOptions },
        });
        const allowed = { settings: { allowedChartRepositories: ["https://charts.jetstack.io"] } };
        expect(rule.check(certManager({ version: "v1.18.2", repositoryOpts: { repo: "https://charts.jetstack.io" } }), allowed)).to.deep.equal([]);
        expect(rule.check(certManager({ repositoryOpts: { repo: "https://charts.jetstack.io" } }), allowed)).to.deep.equal([
            { path: "helmOptions.version", message: 'version is undefined; a chart must be pinned to an exact SemVer version such as "1.2.3".' },
        ]);
        expect(rule.check(certManager({ version: "v1.18.2" }), allowed)).to.deep.equal([
            { path: "helmOptions.repositoryOpts.repo", message: 'repositoryOpts.repo is undefined for chart "cert-manager"; a chart must come from one of the allowed repositories (https://charts.jetstack.io).' },
        ]);
    });

    it("fails when the version is a range", () => {
        expect(rule.check(chart({ version: "^7.7.0" }), context)).to.deep.equal([
            { path: "version", message: 'version is "^7.7.0"; a chart must be pinned to an exact SemVer version such as "1.2.3".' },
        ]);
    });

    it("fails when the version is missing", () => {
        expect(rule.check(chart({ version: undefined }), context)).to.deep.equal([
            { path: "version", message: 'version is undefined; a chart must be pinned to an exact SemVer version such as "1.2.3".' },
        ]);
    });

    it("fails when the repository is not allowed", () => {
        expect(rule.check(chart({ repositoryOpts: { repo: "https://charts.bitnami.com/bitnami" } }), context)).to.deep.equal([
            {
                path: "repositoryOpts.repo",
                message: 'repositoryOpts.repo "https://charts.bitnami.com/bitnami" is not an allowed chart repository (https://argoproj.github.io/argo-helm, oci://ghcr.io/loft-sh/charts).',
            },
        ]);
    });

    it("fails when there is no repository (local chart or helm repo alias)", () => {
        expect(rule.check(chart({ chart: "argo/argo-cd", repositoryOpts: undefined }), context)).to.deep.equal([
            {
                path: "repositoryOpts.repo",
                message: 'repositoryOpts.repo is undefined for chart "argo/argo-cd"; a chart must come from one of the allowed repositories (https://argoproj.github.io/argo-helm, oci://ghcr.io/loft-sh/charts).',
            },
        ]);
    });

    it("fails when an oci:// chart is outside the allowed prefixes", () => {
        expect(rule.check(chart({ chart: "oci://ghcr.io/loft-sh/charts-evil/vcluster", repositoryOpts: undefined }), context)).to.deep.equal([
            { path: "chart", message: 'chart "oci://ghcr.io/loft-sh/charts-evil/vcluster" is not in an allowed repository (https://argoproj.github.io/argo-helm, oci://ghcr.io/loft-sh/charts).' },
        ]);
    });

    it("fails closed when no repositories are configured", () => {
        expect(rule.check(chart({}), { settings: {} })).to.deep.equal([
            { path: "repositoryOpts.repo", message: 'repositoryOpts.repo "https://argoproj.github.io/argo-helm" is not an allowed chart repository (none configured).' },
        ]);
    });
});
