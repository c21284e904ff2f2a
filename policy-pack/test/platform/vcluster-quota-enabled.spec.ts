import { expect } from "chai";
import type { PulumiResource } from "../../catalog/core/types";
import { vclusterQuotaEnabled as rule } from "../../catalog/platform/vcluster-quota-enabled";

const context = { settings: {} };

function vcluster(values: Record<string, unknown>, chart = "vcluster", type = "kubernetes:helm.sh/v4:Chart"): PulumiResource {
    return { type, name: "tenant-team-a-vcluster", props: { chart, version: "0.21.2", namespace: "vcluster-team-a", repositoryOpts: { repo: "https://charts.loft.sh" }, values } };
}

describe("vcluster-quota-enabled", () => {
    it("passes a vcluster with its quota enabled (v4 Chart and v3 Release)", () => {
        const values = { policies: { resourceQuota: { enabled: true, quota: { "requests.cpu": "4" } } } };
        expect(rule.check(vcluster(values), context)).to.deep.equal([]);
        expect(rule.check(vcluster(values, "vcluster", "kubernetes:helm.sh/v3:Release"), context)).to.deep.equal([]);
    });

    it("ignores other charts", () => {
        expect(rule.check(vcluster({}, "argo-cd"), context)).to.deep.equal([]);
    });

    it("fails when the quota is not enabled", () => {
        expect(rule.check(vcluster({}), context)).to.deep.equal([
            { path: "values.policies.resourceQuota.enabled", message: "values.policies.resourceQuota.enabled is undefined; it must be true." },
        ]);
    });

    it("fails when enabled is the string \"true\"", () => {
        expect(rule.check(vcluster({ policies: { resourceQuota: { enabled: "true" } } }), context)).to.deep.equal([
            { path: "values.policies.resourceQuota.enabled", message: 'values.policies.resourceQuota.enabled is "true"; it must be true.' },
        ]);
    });
});
