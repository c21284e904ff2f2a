// The hub against the compliance catalog it ships: every platform, stack and runtime rule run
// directly over what the dev and prod stacks register (no tenants), with the settings of the
// policy pack's own config for that environment.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { platformRules, runtimeRules, stackRules } from "../policy-pack/catalog";
import type { RuleContext, RuleSettings } from "../policy-pack/catalog";
import { RecordedResource, RunResult, SecretValue, UNKNOWN_VALUE } from "../scripts/recorder";
import { runStack } from "./helpers";

function plain(value: unknown): unknown {
    if (value instanceof SecretValue) return plain(value.value);
    if (value === UNKNOWN_VALUE) return "unknown";
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return value;
}

/** A rule's settings from policy-pack/config/<environment>.json (its entry minus the enforcement level). */
function settingsFor(environment: string, ruleId: string): RuleSettings {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy-pack", "config", `${environment}.json`), "utf8"));
    const entry = config[ruleId];
    if (entry === undefined || typeof entry === "string") return {};
    const { enforcementLevel: _, ...settings } = entry;
    return settings;
}

const asPulumi = (r: RecordedResource) => ({ type: r.type, name: r.name, urn: r.urn, props: plain(r.inputs) as Record<string, unknown> });
const kindOf = (r: RecordedResource) => /^kubernetes:[^:]+:([A-Za-z0-9]+)$/.exec(r.type)?.[1];

describe("hub against the compliance catalog", function () {
    this.timeout(120_000);
    const runs: Record<string, RunResult> = {};

    before(async () => {
        runs.dev = await runStack("dev", { tenants: [] });
        runs.prod = await runStack("prod", { tenants: [] });
    });

    for (const environment of ["dev", "prod"]) {
        it(`passes every platform rule in ${environment}`, () => {
            const findings: string[] = [];
            let checked = 0;
            for (const rule of platformRules) {
                const context: RuleContext = { environment, settings: settingsFor(environment, rule.id) };
                for (const resource of runs[environment].resources.filter((r) => rule.resourceTypes.includes(r.type))) {
                    checked++;
                    for (const v of rule.check(asPulumi(resource), context)) findings.push(`${rule.id} ${resource.name} ${v.path}: ${v.message}`);
                }
            }
            // The dev stack's root app follows the branch main, which application-revision-pinned
            // flags (advisory in dev); prod's is pinned to a tag.
            expect(findings).to.deep.equal(environment === "dev"
                ? [`application-revision-pinned argocd-root-app spec.source.targetRevision: spec.source.targetRevision is "main", which can move; deploy a release tag (e.g. "v1.4.2"), an exact chart version or a full commit SHA, so what runs is what was reviewed.`]
                : []);
            // Charts, AppProjects, the Application, the ClusterSecretStore and the Vault role were all looked at.
            expect(checked).to.be.greaterThan(10);
        });

        it(`passes every stack rule in ${environment}`, () => {
            const findings = stackRules.flatMap((rule) => rule.check(runs[environment].resources.map(asPulumi), { environment, settings: settingsFor(environment, rule.id) })
                .map((v) => `${rule.id} ${v.resource} ${v.path}: ${v.message}`));
            expect(findings).to.deep.equal([]);
        });

        it(`passes every runtime rule on the hub's own Kubernetes objects in ${environment}`, () => {
            const findings: string[] = [];
            const checkedRules = new Set<string>();
            const objects = runs[environment].resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh"));
            for (const rule of runtimeRules) {
                const settings = settingsFor(environment, rule.id);
                for (const resource of objects.filter((r) => rule.kinds.includes("*") || rule.kinds.includes(kindOf(r) ?? ""))) {
                    checkedRules.add(rule.id);
                    for (const v of rule.check(plain(resource.inputs) as any, { environment, settings })) findings.push(`${rule.id} ${resource.name} ${v.path}: ${v.message}`);
                }
            }
            expect(findings).to.deep.equal([]);
            // The Certificates, the Application and the Ingress met their rules.
            expect([...checkedRules].filter((id) => id.startsWith("cert-manager-") || id.startsWith("application-") || id.includes("ingress")).sort()).to.deep.equal([
                "application-prevent-default-project", "application-prevent-updates-project",
                "cert-manager-limit-dnsnames", "cert-manager-limit-duration", "cert-manager-restrict-issuer",
                "disallow-ingress-nginx-custom-snippets",
            ]);
        });
    }
});
