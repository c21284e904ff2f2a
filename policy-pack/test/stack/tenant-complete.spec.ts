import { expect } from "chai";
import { tenantComplete as rule } from "../../catalog/stack/tenant-complete";
import { tenant, without } from "./fixtures";

const context = { settings: {} };
const urn = "urn:pulumi:prod::gitops-hub::kubernetes:core/v1:Namespace::tenant-team-a-namespace";
const at = { resource: "tenant-team-a-namespace", urn, path: 'metadata.labels["gitops-hub.io/tenant"]' };

describe("tenant-complete", () => {
    it("passes complete tenants and ignores unlabelled namespaces", () => {
        const unlabelled = { type: "kubernetes:core/v1:Namespace", name: "argocd", props: { metadata: { name: "argocd" } } };
        expect(rule.check([...tenant("team-a"), ...tenant("team-b"), unlabelled], context)).to.deep.equal([]);
    });

    it("fails when the AppProject is missing", () => {
        expect(rule.check(without(tenant("team-a"), "kubernetes:argoproj.io/v1alpha1:AppProject"), context)).to.deep.equal([
            { ...at, message: 'tenant "team-a" has no AppProject "team-a".' },
        ]);
    });

    it("fails when the vcluster chart is missing", () => {
        expect(rule.check(without(tenant("team-a"), "kubernetes:helm.sh/v4:Chart"), context)).to.deep.equal([
            { ...at, message: 'tenant "team-a" has no vcluster chart in namespace "vcluster-team-a".' },
        ]);
    });

    it("fails when the NetworkPolicy is in another namespace", () => {
        const resources = tenant("team-a").map((r) =>
            r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" ? { ...r, props: { ...r.props, metadata: { name: "default-deny", namespace: "default" } } } : r,
        );
        expect(rule.check(resources, context)).to.deep.equal([{ ...at, message: 'tenant "team-a" has no NetworkPolicy in namespace "vcluster-team-a".' }]);
    });

    it("fails when the Vault policy is missing", () => {
        expect(rule.check(without(tenant("team-a"), "vault:index/policy:Policy"), context)).to.deep.equal([
            { ...at, message: 'tenant "team-a" has no Vault policy "tenant-team-a".' },
        ]);
    });

    it("passes a decommissioned tenant without AppProject and Vault policy, but keeps requiring its isolation", () => {
        const decommissioned = without(without(tenant("team-a"), "kubernetes:argoproj.io/v1alpha1:AppProject"), "vault:index/policy:Policy").map((r) =>
            r.type === "kubernetes:core/v1:Namespace"
                ? { ...r, props: { metadata: { name: "vcluster-team-a", labels: { "gitops-hub.io/tenant": "team-a", "gitops-hub.io/tenant-state": "decommissioned" } } } }
                : r,
        );
        expect(rule.check(decommissioned, context)).to.deep.equal([]);
        expect(rule.check(without(decommissioned, "kubernetes:networking.k8s.io/v1:NetworkPolicy"), context)).to.deep.equal([
            { ...at, message: 'tenant "team-a" has no NetworkPolicy in namespace "vcluster-team-a".' },
        ]);
    });

    it("fails when the tenant's namespace is misnamed", () => {
        const resources = tenant("team-a").map((r) =>
            r.type === "kubernetes:core/v1:Namespace" ? { ...r, props: { metadata: { name: "team-a", labels: { "gitops-hub.io/tenant": "team-a" } } } } : r,
        );
        expect(rule.check(resources, context)).to.deep.equal([
            { ...at, path: "metadata.name", message: 'namespace of tenant "team-a" is named "team-a"; it must be "vcluster-team-a".' },
            { ...at, message: 'tenant "team-a" has no vcluster chart in namespace "team-a".' },
            { ...at, message: 'tenant "team-a" has no NetworkPolicy in namespace "team-a".' },
        ]);
    });

    it("fails when the tenant label is empty", () => {
        const resources = [{ type: "kubernetes:core/v1:Namespace", name: "odd", props: { metadata: { name: "odd", labels: { "gitops-hub.io/tenant": "" } } } }];
        expect(rule.check(resources, context)).to.deep.equal([
            { resource: "odd", urn: undefined, path: 'metadata.labels["gitops-hub.io/tenant"]', message: 'label gitops-hub.io/tenant is ""; it must name the tenant.' },
        ]);
    });
});
