// A tenant's effective vCluster quota and LimitRange, as the chart computes them: Helm merges
// the program's `policies.resourceQuota.quota` and `policies.limitRange.{default,defaultRequest}`
// into the chart's defaults key by key, so a key the program leaves out keeps the chart's value.
// The defaults are recorded here as facts (no chart is needed); the last block re-reads them from
// the pinned chart when GITOPS_HUB_CHARTS points at it, and is skipped otherwise.
import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONTAINER_DEFAULTS, PER_POD_ALLOWANCE, VCLUSTER_VALUES_CHART_VERSION, vclusterQuota, vclusterValues } from "../components/tenant/vcluster-values";
import { CHARTS } from "../components/versions";
import type { TenantConfig } from "../stacks/schema";
import { requireCharts } from "./tools";
import { runStack } from "./helpers";

/**
 * loft-sh/vcluster chart 0.28.0, values.yaml `policies.resourceQuota.quota` (tag v0.28.0,
 * chart/values.yaml): the quota every vCluster gets unless its values override each key.
 */
const CHART_DEFAULT_QUOTA: Record<string, string | number> = {
    "requests.cpu": 10,
    "requests.memory": "20Gi",
    "requests.storage": "100Gi",
    "requests.ephemeral-storage": "60Gi",
    "limits.cpu": 20,
    "limits.memory": "40Gi",
    "limits.ephemeral-storage": "160Gi",
    "services.nodeports": 0,
    "services.loadbalancers": 1,
    "count/endpoints": 40,
    "count/pods": 20,
    "count/services": 20,
    "count/secrets": 100,
    "count/configmaps": 100,
    "count/persistentvolumeclaims": 20,
};

/** The same file, `policies.limitRange.default` and `.defaultRequest`: what a container without its own values gets. */
const CHART_DEFAULT_LIMIT_RANGE = {
    default: { "ephemeral-storage": "8Gi", memory: "512Mi", cpu: "1" },
    defaultRequest: { "ephemeral-storage": "3Gi", memory: "128Mi", cpu: "100m" },
};

/** Helm's merge of user values into chart defaults, for flat maps: every default key survives unless the values set it. */
const merged = <T>(defaults: Record<string, T>, values: Record<string, T>) => ({ ...defaults, ...values });

/** What the config sizes, as the ResourceQuota must show it. */
function fromConfig(quota: TenantConfig["vcluster"]["quota"]): Record<string, string | number> {
    return {
        "requests.cpu": quota.cpu, "limits.cpu": quota.cpu,
        "requests.memory": quota.memory, "limits.memory": quota.memory,
        "requests.storage": `${quota.storageGiB}Gi`,
        "count/pods": quota.pods,
    };
}

const TENANT: TenantConfig = {
    name: "team-q", state: "active", ownerGroups: ["team-q-admins"], repos: [], applications: [],
    vcluster: { kubernetesVersion: "1.33", quota: { cpu: "16", memory: "32Gi", pods: 200, storageGiB: 500 }, podSecurityStandard: "restricted" },
    addons: { kyverno: true, "kyverno-policies": true }, syncWindows: [], exposure: { enabled: false }, argocd: { exec: false },
};

describe(`vCluster ${VCLUSTER_VALUES_CHART_VERSION}: a tenant's effective quota and LimitRange`, function () {
    this.timeout(120_000);

    it("is written for the pinned chart", () => {
        expect(CHARTS.vcluster.version).to.equal(VCLUSTER_VALUES_CHART_VERSION);
    });

    it("sets every key of the chart's default quota, so the chart adds none of its own", () => {
        const quota = vclusterQuota(TENANT.vcluster.quota);
        expect(Object.keys(CHART_DEFAULT_QUOTA).filter((key) => !(key in quota))).to.deep.equal([]);
        expect(merged(CHART_DEFAULT_QUOTA, quota)).to.deep.equal(quota);
    });

    it("gives a 200-pod tenant exactly its config, object counts and ephemeral storage per pod, and no NodePort or LoadBalancer", () => {
        expect(vclusterQuota(TENANT.vcluster.quota)).to.deep.equal({
            "requests.cpu": "16", "limits.cpu": "16", "requests.memory": "32Gi", "limits.memory": "32Gi", "requests.storage": "500Gi",
            "requests.ephemeral-storage": "400Gi", "limits.ephemeral-storage": "1600Gi",
            "count/pods": 200, "count/services": 200, "count/endpoints": 400, "count/secrets": 1000, "count/configmaps": 1000,
            "count/persistentvolumeclaims": 200, "services.nodeports": 0, "services.loadbalancers": 0,
        });
    });

    it("derives the keys the config does not name from the chart's own 20-pod defaults, per pod", () => {
        for (const key of ["count/services", "count/endpoints", "count/secrets", "count/configmaps", "count/persistentvolumeclaims"] as const) {
            expect(PER_POD_ALLOWANCE[key] * 20, key).to.equal(CHART_DEFAULT_QUOTA[key]);
        }
        expect(CHART_DEFAULT_QUOTA["count/pods"]).to.equal(20);
    });

    it("equals the config for any valid quota: what the config sizes is the config, nothing else is left to the chart", () => {
        const quantity = fc.tuple(fc.integer({ min: 1, max: 512 }), fc.constantFrom("", "m", "Mi", "Gi")).map(([n, unit]) => `${n}${unit}`);
        fc.assert(fc.property(
            fc.record({ cpu: quantity, memory: quantity, pods: fc.integer({ min: 1, max: 10_000 }), storageGiB: fc.integer({ min: 1, max: 100_000 }) }),
            (quota) => {
                const effective = merged(CHART_DEFAULT_QUOTA, vclusterQuota(quota));
                expect(effective).to.deep.equal(vclusterQuota(quota));
                expect(effective).to.deep.include(fromConfig(quota));
                expect(Object.keys(effective).sort()).to.deep.equal(Object.keys(CHART_DEFAULT_QUOTA).sort());
            },
        ), { numRuns: 200 });
    });

    it("sets every key of the chart's default LimitRange: a container without its own values gets 100m/128Mi/1Gi, at most 1/512Mi/4Gi", () => {
        const { limitRange } = (vclusterValues(TENANT) as any).policies;
        expect(limitRange).to.deep.equal({
            enabled: true,
            default: { cpu: "1", memory: "512Mi", "ephemeral-storage": "4Gi" },
            defaultRequest: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" },
        });
        expect(merged(CHART_DEFAULT_LIMIT_RANGE.default, limitRange.default)).to.deep.equal(limitRange.default);
        expect(merged(CHART_DEFAULT_LIMIT_RANGE.defaultRequest, limitRange.defaultRequest)).to.deep.equal(limitRange.defaultRequest);
    });

    it("fits two containers at the LimitRange's defaults into a pod's ephemeral-storage allowance", () => {
        const gib = (q: string) => Number(q.replace(/Gi$/, ""));
        expect(2 * gib(CONTAINER_DEFAULTS.request["ephemeral-storage"])).to.equal(PER_POD_ALLOWANCE.ephemeralStorageRequestGiB);
        expect(2 * gib(CONTAINER_DEFAULTS.limit["ephemeral-storage"])).to.equal(PER_POD_ALLOWANCE.ephemeralStorageLimitGiB);
    });

    it("passes every committed tenant exactly its config (dev and prod stacks)", async () => {
        for (const stack of ["dev", "prod"]) {
            const result = await runStack(stack);
            const charts = result.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart" && (r.inputs as any).chart === "vcluster");
            expect(charts.length, stack).to.be.above(0);
            for (const chart of charts) {
                const quota = (chart.inputs as any).values.policies.resourceQuota.quota;
                expect(merged(CHART_DEFAULT_QUOTA, quota), `${stack} ${chart.name}`).to.deep.equal(quota);
            }
        }
    });

    it("fails when a default key is left to the chart (the effective quota then caps Services at 20)", () => {
        const { "count/services": _, ...quota } = vclusterQuota(TENANT.vcluster.quota);
        expect(merged(CHART_DEFAULT_QUOTA, quota)).to.not.deep.equal(quota);
        expect(merged(CHART_DEFAULT_QUOTA, quota)["count/services"]).to.equal(20);
    });

    describe("the facts above, re-read from the pinned chart (GITOPS_HUB_CHARTS=<dir of unpacked charts>)", function () {
        let dir: string;
        before(function () { dir = requireCharts(this); });

        it("the default quota and LimitRange of values.yaml", () => {
            const values = parse(fs.readFileSync(path.join(dir, `vcluster-${CHARTS.vcluster.version}`, "values.yaml"), "utf8"));
            expect(values.policies.resourceQuota.quota).to.deep.equal(CHART_DEFAULT_QUOTA);
            expect({ default: values.policies.limitRange.default, defaultRequest: values.policies.limitRange.defaultRequest }).to.deep.equal(CHART_DEFAULT_LIMIT_RANGE);
        });
    });
});
