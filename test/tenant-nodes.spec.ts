// Tenant pods on tenant nodes (issue 12, item 2): what each vCluster is told (chart 0.28 keys,
// checked against the chart's own values schema where the pinned chart is at hand, and against
// recorded facts of that schema everywhere), the Kyverno guard on the hub (run by the real
// Kyverno CLI), the loader's refusal in prod, and vCluster's own pod security level.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import { parseAllDocuments, stringify } from "yaml";
import { TENANT_PLACEMENT_POLICY, tenantPlacementPolicy } from "../components/hub/tenant-placement";
import { nodePlacementValues, vclusterValues } from "../components/tenant/vcluster-values";
import { CHARTS } from "../components/versions";
import type { RunResult } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { ConfigError, parseStackConfig } from "../stacks/loader";
import type { TenantNodesConfig } from "../stacks/schema";
import { byName, dependencyNames, ofType, parentOf, recordStacks } from "./helpers";
import { loadTenants } from "./tenant-fixtures";
import { requireCharts, requireTool, withTool } from "./tools";

const NODES: TenantNodesConfig = {
    nodeSelector: { "gitops-hub.io/node-pool": "tenants" },
    taint: { key: "gitops-hub.io/node-pool", value: "tenants", effect: "NoSchedule" },
};
const TENANT = { name: "team-a", ownerGroups: ["team-a-admins"] };
/** The pinned chart, unpacked, in the GITOPS_HUB_CHARTS directory; the suite is skipped without one. */
const chartDir = (ctx: Mocha.Context, what: string) => path.join(requireCharts(ctx, what), `vcluster-${CHARTS.vcluster.version}`);

/** Value at a dotted path of the values, or undefined. */
function at(values: unknown, dotted: string): unknown {
    return dotted.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), values);
}

/**
 * Facts of vCluster 0.28.0's values.schema.json for every key the placement and pod-security
 * values set: the JSON type the schema declares there (`additionalProperties: false` on every
 * object on the way, so a misspelt key would fail the chart's install).
 */
const CHART_SCHEMA_FACTS: [string, string][] = [
    ["sync.toHost.pods.enforceTolerations", "array of string"],
    ["sync.fromHost.nodes.selector.labels", "object of string"],
    ["controlPlane.statefulSet.scheduling.nodeSelector", "object"],
    ["controlPlane.statefulSet.scheduling.tolerations", "array of object"],
    ["policies.podSecurityStandard", "string"],
];

function typeOf(value: unknown): string {
    if (Array.isArray(value)) return `array of ${[...new Set(value.map((v) => typeof v))].join("|") || "nothing"}`;
    if (value && typeof value === "object") {
        const types = [...new Set(Object.values(value).map((v) => typeof v))];
        return types.length === 1 && types[0] === "string" ? "object of string" : "object";
    }
    return typeof value;
}

describe("tenant nodes and the vCluster's pod security level", function () {
    this.timeout(120_000);
    const [devTenant] = loadTenants("dev", [TENANT]);
    const [prodTenant] = loadTenants("prod", [TENANT]);

    describe("the vCluster's values", () => {
        it("puts every synced pod and the control plane on the tenant nodes, tolerating their taint", () => {
            const values = vclusterValues(prodTenant, NODES) as Record<string, any>;
            expect(values.sync).to.deep.equal({
                toHost: { pods: { enforceTolerations: ["gitops-hub.io/node-pool=tenants:NoSchedule"] } },
                fromHost: { nodes: { selector: { labels: { "gitops-hub.io/node-pool": "tenants" } } } },
            });
            expect(values.controlPlane.statefulSet.scheduling).to.deep.equal({
                nodeSelector: { "gitops-hub.io/node-pool": "tenants" },
                tolerations: [{ key: "gitops-hub.io/node-pool", operator: "Equal", value: "tenants", effect: "NoSchedule" }],
            });
        });

        it("writes a taint without a value as vCluster's `key:Effect` and an Exists toleration", () => {
            expect(nodePlacementValues({ nodeSelector: { pool: "t" }, taint: { key: "dedicated", effect: "NoExecute" } })).to.deep.equal({
                sync: { toHost: { pods: { enforceTolerations: ["dedicated:NoExecute"] } }, fromHost: { nodes: { selector: { labels: { pool: "t" } } } } },
                scheduling: { nodeSelector: { pool: "t" }, tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoExecute" }] },
            });
        });

        it("sets no placement without tenantNodes (dev may leave it out)", () => {
            const values = vclusterValues(devTenant) as Record<string, any>;
            expect(values.sync).to.equal(undefined);
            expect(values.controlPlane.statefulSet.scheduling).to.equal(undefined);
        });

        it("has the vCluster check pods before syncing them: baseline in dev, restricted in prod", () => {
            expect((vclusterValues(devTenant) as any).policies.podSecurityStandard).to.equal("baseline");
            expect((vclusterValues(prodTenant, NODES) as any).policies.podSecurityStandard).to.equal("restricted");
        });

        it("sets only keys the pinned chart's values schema declares, with its types (recorded facts)", () => {
            const values = vclusterValues(prodTenant, NODES);
            expect(CHART_SCHEMA_FACTS.map(([key]) => [key, typeOf(at(values, key))])).to.deep.equal(
                CHART_SCHEMA_FACTS.map(([key, type]) => [key, key === "controlPlane.statefulSet.scheduling.nodeSelector" ? "object of string" : type]),
            );
        });

        it("passes the pinned chart's own values.schema.json (GITOPS_HUB_CHARTS)", function () {
            const file = path.join(chartDir(this, `check the values against vcluster-${CHARTS.vcluster.version}'s values.schema.json (the recorded facts above stand in)`), "values.schema.json");
            const schema = JSON.parse(fs.readFileSync(file, "utf8"));
            const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
            const ok = validate(vclusterValues(prodTenant, NODES));
            expect(validate.errors ?? []).to.deep.equal([]);
            expect(ok).to.equal(true);
            // The facts above are what that schema says.
            for (const [key, type] of CHART_SCHEMA_FACTS) {
                let node: any = schema;
                for (const part of key.split(".")) {
                    while (node.$ref) node = schema.$defs[node.$ref.replace("#/$defs/", "")];
                    expect(node.additionalProperties, `${key} at ${part}`).to.equal(false);
                    node = node.properties[part];
                }
                while (node.$ref) node = schema.$defs[node.$ref.replace("#/$defs/", "")];
                const declared = node.type === "array" ? `array of ${node.items.type ?? "object"}`
                    : node.type === "object" && node.additionalProperties?.type === "string" ? "object of string" : node.type;
                expect(declared, key).to.equal(type);
            }
        });
    });

    describe("rendered by the real Helm with the pinned chart (GITOPS_HUB_CHARTS)", function () {
        it("renders the control plane on the tenant nodes and hands the syncer the placement and pod security level", function () {
            const chart = chartDir(this, `render vcluster-${CHARTS.vcluster.version}`);
            const helm = requireTool(this, "helm");
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-vcluster-"));
            try {
                fs.writeFileSync(path.join(dir, "values.yaml"), stringify(vclusterValues(prodTenant, NODES)));
                // Helm checks the values against the chart's values.schema.json before rendering.
                const out = execFileSync(helm, ["template", "team-a", chart, "-n", "vcluster-team-a", "-f", path.join(dir, "values.yaml")], { encoding: "utf8" });
                const objects = parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean);
                const statefulSet = objects.find((o: any) => o.kind === "StatefulSet");
                expect(statefulSet.spec.template.spec.nodeSelector).to.deep.equal({ "gitops-hub.io/node-pool": "tenants" });
                expect(statefulSet.spec.template.spec.tolerations).to.deep.equal([{ effect: "NoSchedule", key: "gitops-hub.io/node-pool", operator: "Equal", value: "tenants" }]);
                const config = objects.find((o: any) => o.kind === "Secret" && o.metadata.name === "vc-config-team-a");
                const syncer = parseAllDocuments(Buffer.from(config.data["config.yaml"], "base64").toString("utf8"))[0].toJS();
                expect(syncer.sync.toHost.pods.enforceTolerations).to.deep.equal(["gitops-hub.io/node-pool=tenants:NoSchedule"]);
                expect(syncer.sync.fromHost.nodes.selector.labels).to.deep.equal({ "gitops-hub.io/node-pool": "tenants" });
                expect(syncer.policies.podSecurityStandard).to.equal("restricted");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the loader", () => {
        const prodPlatform = readStackFile("prod").config.platform as Record<string, unknown>;

        it("fails in prod without tenantNodes", () => {
            const { tenantNodes: _, ...platform } = prodPlatform;
            let problems: string[] = [];
            try {
                parseStackConfig({ values: { platform }, secretsSet: new Set() });
            } catch (error) {
                problems = (error as ConfigError).problems;
            }
            expect(problems).to.deep.equal([
                `platform.tenantNodes is missing; in prod tenant pods must run on nodes of their own, not next to Vault or Argo CD: label (and taint) those nodes and set e.g. { nodeSelector: { "gitops-hub.io/node-pool": "tenants" }, taint: { key: "gitops-hub.io/node-pool", value: "tenants", effect: "NoSchedule" } }`,
            ]);
        });

        it("fails on an empty node selector and on a taint effect Kubernetes does not have", () => {
            let problems: string[] = [];
            try {
                parseStackConfig({ values: { platform: { ...prodPlatform, tenantNodes: { nodeSelector: {}, taint: { key: "pool", effect: "NoRun" } } } }, secretsSet: new Set() });
            } catch (error) {
                problems = (error as ConfigError).problems;
            }
            expect(problems).to.deep.equal([
                `platform.tenantNodes.nodeSelector {} must name at least one node label, e.g. { "gitops-hub.io/node-pool": "tenants" }`,
                `platform.tenantNodes.taint.effect "NoRun" must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"`,
            ]);
        });
    });

    describe("through the program", () => {
        let prod: RunResult;
        let dev: RunResult;
        before(async () => ({ dev, prod } = await recordStacks()));

        it("gives every prod tenant's vCluster the committed tenantNodes", () => {
            for (const tenant of ["payments", "search"]) {
                const values = byName(prod, "kubernetes:helm.sh/v4:Chart", `${tenant}-vcluster`).inputs.values as Record<string, any>;
                expect(values.sync.fromHost.nodes.selector.labels, tenant).to.deep.equal({ "gitops-hub.io/node-pool": "tenants" });
                expect(values.sync.toHost.pods.enforceTolerations, tenant).to.deep.equal(["gitops-hub.io/node-pool=tenants:NoSchedule"]);
                expect(values.policies.podSecurityStandard, tenant).to.equal("restricted");
            }
        });

        it("registers the guard on the hub in prod, after Kyverno, and not in dev (which sets no tenantNodes)", () => {
            const policy = byName(prod, "kubernetes:kyverno.io/v1:ClusterPolicy", "tenant-placement-policy");
            expect(parentOf(prod, policy)).to.equal("gitops-hub:hub:TenantPlacement tenant-placement");
            const component = byName(prod, "gitops-hub:hub:TenantPlacement", "tenant-placement");
            // A component's dependsOn reaches every resource of Kyverno, its chart (CRDs, webhook) included.
            expect(dependencyNames(prod, component)).to.include("kubernetes:helm.sh/v4:Chart kyverno-chart");
            expect(policy.inputs).to.deep.equal(tenantPlacementPolicy(NODES, "prod"));
            expect(ofType(dev, "gitops-hub:hub:TenantPlacement")).to.deep.equal([]);
        });
    });

    describe("the guard, run by the real Kyverno CLI", function () {
        let kyverno: string;
        let dir: string;
        withTool("kyverno", (tool, scratch) => { kyverno = tool; dir = scratch; });

        const pod = (name: string, namespace: string, nodeSelector?: Record<string, string>) => ({
            apiVersion: "v1", kind: "Pod", metadata: { name, namespace },
            spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name: "app", image: "ghcr.io/acme/app:1.0.0" }] },
        });
        const values = {
            apiVersion: "cli.kyverno.io/v1alpha1", kind: "Values",
            namespaceSelector: [
                { name: "vcluster-team-a", labels: { "gitops-hub.io/tenant": "team-a" } },
                { name: "vault", labels: { "gitops-hub.io/platform": "vault" } },
            ],
        };
        function apply(policy: unknown, pods: unknown[]): { output: string; mutated: Record<string, any> } {
            fs.writeFileSync(path.join(dir, "policy.yaml"), stringify(policy));
            fs.writeFileSync(path.join(dir, "pods.yaml"), pods.map((p) => stringify(p)).join("---\n"));
            fs.writeFileSync(path.join(dir, "values.yaml"), stringify(values));
            const out = path.join(dir, "out");
            fs.rmSync(out, { recursive: true, force: true });
            fs.mkdirSync(out);
            let output: string;
            try {
                output = execFileSync(kyverno, ["apply", "policy.yaml", "--resource", "pods.yaml", "--values-file", "values.yaml", "-o", out], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            } catch (error) {
                output = String((error as { stdout?: string }).stdout ?? "") + String((error as { stderr?: string }).stderr ?? "");
            }
            const mutated = Object.fromEntries(fs.readdirSync(out).map((f) => [
                f.replace(/-mutated\.yaml$/, ""),
                parseAllDocuments(fs.readFileSync(path.join(out, f), "utf8")).map((d) => d.toJS()).find((d) => d !== null),
            ]));
            return { output, mutated };
        }

        it("sets the tenant nodes' selector on pods in tenant namespaces, over a tenant's own value, and leaves platform pods alone", () => {
            const { output, mutated } = apply(tenantPlacementPolicy(NODES, "prod"), [
                pod("plain", "vcluster-team-a"),
                pod("elsewhere", "vcluster-team-a", { "gitops-hub.io/node-pool": "platform" }),
                pod("vault-0", "vault"),
            ]);
            // Two tenant pods, each mutated and then validated; the platform pod matches no rule.
            expect(output, output).to.match(/pass: 4, fail: 0, warn: 0, error: 0, skip: 0/);
            expect(mutated.plain.spec.nodeSelector).to.deep.equal({ "gitops-hub.io/node-pool": "tenants" });
            expect(mutated.elsewhere.spec.nodeSelector).to.deep.equal({ "gitops-hub.io/node-pool": "tenants" });
            expect(mutated["vault-0"].spec.nodeSelector).to.equal(undefined);
        });

        it("refuses a tenant pod without the selector (the validation rule alone, as if the mutation were bypassed)", () => {
            const policy = tenantPlacementPolicy(NODES, "prod") as any;
            const validateOnly = { ...policy, spec: { ...policy.spec, rules: policy.spec.rules.filter((r: { validate?: unknown }) => r.validate) } };
            const { output } = apply(validateOnly, [pod("plain", "vcluster-team-a"), pod("placed", "vcluster-team-a", { "gitops-hub.io/node-pool": "tenants" })]);
            expect(output).to.match(/pass: 1, fail: 1, warn: 0, error: 0, skip: 0/);
            expect(output).to.contain(`${TENANT_PLACEMENT_POLICY}`);
            expect(output).to.contain("Pods in tenant namespaces must run on the tenant nodes (nodeSelector gitops-hub.io/node-pool=tenants).");
        });
    });
});
