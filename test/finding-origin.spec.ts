// A finding on a tenant's resource names the config entry and the settings it comes from, for
// every rule that can look at a resource the Tenant component registers. The set of those rules
// is computed from the pack's own applicability and the resource types tenants register (with
// and without exposure), so a new tenant-level rule without a case here fails this spec. Each
// case makes its rule fire on one tenant resource (through the config where the config can, by
// changing the recorded inputs where only a broken program could) and states the settings.
import { expect } from "chai";
import { rules } from "../policy-pack/catalog";
import { applies } from "../policy-pack/evaluate";
import { planOf } from "../scripts/plan/model";
import { evaluatePolicies, originText, resolvePolicyConfig } from "../scripts/plan/policies";
import { PROBE_PROJECT, TENANT_TYPE, withConfigSources } from "../scripts/plan/provenance";
import { RecordedStack, record } from "../scripts/plan/run";
import { RecordedResource, runProgram } from "../scripts/recorder";
import { StackFile, readStackFile } from "../scripts/stack-file";
import * as path from "path";

type Config = { platform: Record<string, any>; tenants: Record<string, any>[] };

async function recordDev(change?: (config: Config) => void): Promise<RecordedStack> {
    const file = readStackFile("dev");
    const config = structuredClone(file.config) as Config;
    change?.(config);
    const files: Record<string, StackFile> = { dev: { ...file, config } };
    return record("dev", { files });
}

const INGRESS = (config: Config) => {
    config.platform.exposure = { mode: "ingress" };
    config.tenants[0].exposure = { enabled: true };
};
const GATEWAY = (config: Config) => {
    config.platform.exposure = { mode: "gateway", gatewayClassName: "eg" };
    config.tenants[0].exposure = { enabled: true };
};
const WILDCARD_REPO = (config: Config) => {
    config.tenants[0].repos[0].url = "https://github.com/acme/*";
    config.tenants[0].applications[0].repoURL = "https://github.com/acme/*";
};

/** The resource of that name in a copy of the resources, with `change` applied to its inputs. */
function injected(name: string, change: (inputs: Record<string, any>) => void) {
    return (resources: RecordedResource[]) => resources.map((r) => {
        if (r.name !== name) return r;
        const copy = { ...r, inputs: structuredClone(r.inputs) as Record<string, any> };
        change(copy.inputs);
        return copy;
    });
}

interface Case {
    /** Which recording the case starts from. */
    stack: "dev" | "ingress" | "wildcard";
    inject?: (resources: RecordedResource[]) => RecordedResource[];
    policyConfig?: Record<string, unknown>;
    /** The finding: resource, field; and what it must name. */
    resource: string;
    path: string;
    entry: string;
    settings: string[];
}

const CASES: Record<string, Case> = {
    "application-revision-pinned": {
        stack: "dev", resource: "team-a-app.webapp", path: "spec.source.targetRevision", entry: "tenants[0]", settings: ["tenants[0].applications[0].targetRevision"],
    },
    "appproject-no-wildcards": {
        stack: "wildcard", resource: "team-a-project", path: "spec.sourceRepos[0]", entry: "tenants[0]", settings: ["tenants[0].repos[0].url"],
    },
    "application-prevent-default-project": {
        stack: "dev", inject: injected("team-b-app.api", (i) => { i.spec.project = "default"; }),
        resource: "team-b-app.api", path: "spec.project", entry: "tenants[1]", settings: ["tenants[1].name"],
    },
    "application-prevent-updates-project": {
        stack: "dev", inject: injected("team-a-app.webapp", (i) => { i.metadata.annotations["gitops-hub.io/project-at-creation"] = "team-b"; }),
        resource: "team-a-app.webapp", path: "spec.project", entry: "tenants[0]", settings: ["tenants[0].name"],
    },
    "disallow-ingress-nginx-custom-snippets": {
        stack: "ingress", inject: injected("team-a-api-ingress", (i) => { i.metadata.annotations = { ...i.metadata.annotations, "nginx.ingress.kubernetes.io/server-snippet": "return 200;" }; }),
        resource: "team-a-api-ingress", path: `metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]`, entry: "tenants[0]", settings: [],
    },
    "helm-chart-pinned": {
        stack: "dev", policyConfig: { "helm-chart-pinned": { enforcementLevel: "advisory", allowedChartRepositories: ["https://charts.loft.sh"] } },
        inject: injected("team-b-vcluster", (i) => { i.version = "0.28.x"; }),
        resource: "team-b-vcluster", path: "version", entry: "tenants[1]", settings: [],
    },
    "vault-no-dev-mode-outside-dev": {
        stack: "dev", policyConfig: { "vault-no-dev-mode-outside-dev": { enforcementLevel: "advisory", environment: "prod" } },
        inject: injected("team-a-vcluster", (i) => { i.chart = "vault"; i.values.server = { dev: { enabled: true } }; }),
        resource: "team-a-vcluster", path: "values.server.dev.enabled", entry: "tenants[0]", settings: [],
    },
    "vault-tenant-policy-scoped": {
        stack: "dev", inject: injected("team-b-vault-policy", (i) => { i.policy = `${i.policy}\npath "secret/*" {\n  capabilities = ["read"]\n}\n`; }),
        resource: "team-b-vault-policy", path: "policy", entry: "tenants[1]", settings: ["tenants[1].name"],
    },
    "vault-auth-role-bound": {
        stack: "dev", inject: injected("team-a-vault-role", (i) => { i.boundServiceAccountNamespaces = ["vcluster-*"]; }),
        resource: "team-a-vault-role", path: "boundServiceAccountNamespaces[0]", entry: "tenants[0]", settings: ["tenants[0].name"],
    },
    "vcluster-quota-enabled": {
        stack: "dev", inject: injected("team-a-vcluster", (i) => { i.values.policies.resourceQuota.enabled = false; }),
        resource: "team-a-vcluster", path: "values.policies.resourceQuota.enabled", entry: "tenants[0]", settings: [],
    },
    "tenant-complete": {
        stack: "dev", inject: (resources) => resources.filter((r) => !(r.type === "vault:index/policy:Policy" && r.name === "team-b-vault-policy")),
        resource: "team-b-namespace", path: `metadata.labels["gitops-hub.io/tenant"]`, entry: "tenants[1]", settings: ["tenants[1].name"],
    },
    "appproject-unique-destinations": {
        stack: "dev", inject: injected("team-b-project", (i) => { i.spec.destinations = [{ name: "team-a", namespace: "webapp" }]; }),
        resource: "team-b-project", path: "spec.destinations[0]", entry: "tenants[1]", settings: ["tenants[1].name", "tenants[1].applications[0].namespace"],
    },
};

describe("findings name the tenant config entry and settings they come from", function () {
    this.timeout(300_000);
    const recorded: Partial<Record<Case["stack"], RecordedStack>> = {};
    let tenantLevelRules: string[];
    before(async () => {
        recorded.dev = await recordDev();
        recorded.ingress = await recordDev(INGRESS);
        recorded.wildcard = await recordDev(WILDCARD_REPO);
        const gateway = await recordDev(GATEWAY);
        const types = new Set<string>();
        for (const stack of [recorded.dev, recorded.ingress, gateway]) {
            const { byUrn, resources } = stack.planned;
            for (const r of resources) {
                for (let at = r.parent ? byUrn.get(r.parent) : undefined; at; at = at.parent ? byUrn.get(at.parent) : undefined) {
                    if (at.type === TENANT_TYPE) types.add(r.type);
                }
            }
        }
        tenantLevelRules = rules.filter((rule) => rule.scope === "stack" || [...types].some((t) => applies(rule, t))).map((rule) => rule.id).sort();
    });

    it("has a case for every rule that can look at a tenant's resource, and no other", () => {
        expect(Object.keys(CASES).sort()).to.deep.equal(tenantLevelRules);
        expect(tenantLevelRules).to.include.members(["application-revision-pinned", "appproject-no-wildcards", "tenant-complete", "disallow-ingress-nginx-custom-snippets"]);
    });

    for (const [rule, c] of Object.entries(CASES)) {
        it(`${rule}: ${c.resource} ${c.path} → ${c.settings.join(", ") || `${c.entry} only (set by the program)`}`, async () => {
            const stack = recorded[c.stack]!;
            const planned = c.inject ? planOf("dev", { resources: c.inject(stack.planned.resources), outputs: stack.planned.outputs }) : stack.planned;
            const config = resolvePolicyConfig({ all: "advisory", ...c.policyConfig });
            const findings = await evaluatePolicies(planned, undefined, config, { stack: "dev" });
            const sourced = await withConfigSources(findings, { planned, config: stack.config!, file: stack.file });
            const found = sourced.filter((f) => f.policy === rule && f.resource?.name === c.resource);
            expect(found.map((f) => f.path)).to.deep.equal([c.path]);
            const origin = found[0].origin!;
            expect(origin.unresolved).to.equal(undefined);
            expect({ entry: origin.entry, tenant: origin.tenant, settings: origin.settings.map((s) => s.path) }).to.deep.equal({
                entry: c.entry, tenant: c.entry === "tenants[0]" ? "team-a" : "team-b", settings: c.settings,
            });
            // Every finding also carries its rule's remediation and framework, from the catalog through the pack.
            const catalogRule = rules.find((r) => r.id === rule)!;
            expect(found[0].remediation).to.equal(catalogRule.remediation);
            expect(found[0].framework).to.match(new RegExp(`^BSI IT-Grundschutz 2023: ${catalogRule.framework.bsi.join(", ").replace(/\./g, "\\.")}`));
            // Findings on hub resources name no tenant entry.
            for (const f of sourced.filter((x) => x.resource && !x.resource.name.startsWith("team-"))) expect(f.origin, f.resource!.name).to.equal(undefined);
        });
    }

    it("says whether a setting is in the stack file or an environment default", async () => {
        const stack = recorded.dev!;
        const planned = planOf("dev", { resources: injected("team-a-vcluster", (i) => { i.values.policies.resourceQuota.quota["requests.cpu"] = "1000"; })(stack.planned.resources), outputs: stack.planned.outputs });
        const fake = [{ policy: "quota-cap", severity: "low" as const, enforcementLevel: "advisory" as const, path: `values.policies.resourceQuota.quota["requests.cpu"]`, message: "too much", resource: { type: "kubernetes:helm.sh/v4:Chart", name: "team-a-vcluster", urn: planned.resources.find((r) => r.name === "team-a-vcluster")!.urn } }];
        const [finding] = await withConfigSources(fake, { planned, config: stack.config!, file: stack.file });
        expect(finding.origin!.settings).to.deep.equal([{ path: "tenants[0].vcluster.quota.cpu", value: "2", inStackFile: false }]);
        expect(originText(finding.origin!)).to.equal(`tenants[0].vcluster.quota.cpu "2" (environment default)`);
    });

    it("names the entry of an object a tenant's chart renders, and says its settings are not traced through the chart", async () => {
        const stack = recorded.dev!;
        const chart = stack.planned.resources.find((r) => r.name === "team-a-vcluster")!;
        const child: RecordedResource = { ...chart, type: "kubernetes:apps/v1:StatefulSet", name: "team-a-vcluster:vcluster-team-a/team-a", urn: `${chart.urn}$kubernetes:apps/v1:StatefulSet::team-a-vcluster:vcluster-team-a/team-a`, parent: chart.urn, custom: true, inputs: {} };
        const planned = planOf("dev", { resources: [...stack.planned.resources, child], outputs: stack.planned.outputs });
        const finding = { policy: "require-pod-probes", severity: "medium" as const, enforcementLevel: "advisory" as const, path: "spec.template.spec.containers[0]", message: "no probes", resource: { type: child.type, name: child.name, urn: child.urn } };
        const [sourced] = await withConfigSources([finding], { planned, config: stack.config!, file: stack.file });
        expect(sourced.origin).to.deep.equal({
            entry: "tenants[0]", tenant: "team-a", settings: [],
            unresolved: "rendered by the chart team-a-vcluster; settings are traced to the chart's own inputs, not through its templates",
        });
    });

    it("the probe registers exactly the resources, with exactly the inputs, that each tenant of the committed stacks has in the plan", async () => {
        for (const stackName of ["dev", "prod"]) {
            const stack = stackName === "dev" ? recorded.dev! : await record("prod");
            const probe = await runProgram({
                stack: stackName, project: PROBE_PROJECT, program: path.join(__dirname, "..", "scripts", "plan", "probe-program.ts"),
                config: { platform: stack.config!.platform, copies: stack.config!.tenants },
            });
            expect(probe.outputs.failed).to.deep.equal([]);
            stack.config!.tenants.forEach((tenant, k) => {
                const inputs = (resources: RecordedResource[], parent: (urn: string) => boolean) => Object.fromEntries(resources
                    .filter((r) => r.parent !== undefined && parent(r.parent) && r.type !== TENANT_TYPE)
                    .map((r) => [`${r.type} ${r.name}`, JSON.stringify(r.inputs)]));
                const planned = inputs(stack.planned.resources, (p) => p.endsWith(`${TENANT_TYPE}::${tenant.name}`));
                const probed = inputs(probe.resources, (p) => p.includes(`${PROBE_PROJECT}:copy${k}:Copy$`));
                expect(Object.keys(planned).length, `${stackName} ${tenant.name}`).to.be.greaterThan(10);
                expect(probed, `${stackName} ${tenant.name}`).to.deep.equal(planned);
            });
        }
    });
});
