// The one evaluator: config (ajv, defaults, levels), applicability, exemptions, unknown values and
// fail-closed handling, over the real catalog and over rules made up for one case.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { rules } from "../catalog";
import type { Rule, RuntimeRule, StackRule } from "../catalog/core/types";
import { Finding, PackConfig, PolicyConfigError, blocking, evaluate, exemptionFor, resolvePackConfig } from "../evaluate";
import { tenant } from "./stack/fixtures";

const configDir = path.join(__dirname, "..", "config");
const load = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(configDir, file), "utf8"));
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application";

/** The config with only the named policies. */
function only(config: PackConfig, ...ids: string[]): PackConfig {
    return { policies: new Map([...config.policies].filter(([id]) => ids.includes(id))) };
}

/** Findings of the named policies for one resource. */
function findingsFor(type: string, name: string, props: Record<string, unknown>, raw: Record<string, unknown>, ...ids: string[]): Finding[] {
    return evaluate([{ type, name, props }], only(resolvePackConfig(raw), ...ids));
}

function problemsOf(raw: unknown, rulesOfPack?: readonly Rule[]): string[] {
    try {
        resolvePackConfig(raw, { rules: rulesOfPack, source: "x.json", suggest: (value, candidates) => (candidates.includes(value.replace(/z$/, "")) ? ` (did you mean "${value.replace(/z$/, "")}"?)` : "") });
    } catch (error) {
        expect(error).to.be.instanceOf(PolicyConfigError);
        expect((error as Error).message).to.equal(`x.json: the policy-pack config has ${(error as PolicyConfigError).problems.length} problem${(error as PolicyConfigError).problems.length === 1 ? "" : "s"}`);
        return (error as PolicyConfigError).problems;
    }
    return [];
}

const badApp = (name: string, namespace = "argocd") => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name, namespace, annotations: { "gitops-hub.io/project-at-creation": "default" } },
    spec: { project: "default" },
});

const DEFAULT_PROJECT = 'spec.project is "default"; the default project may not be used in an Application.';

describe("evaluate", () => {
    describe("the policy-pack config", () => {
        it("accepts dev.json and prod.json", () => {
            expect(problemsOf(load("dev.json"))).to.deep.equal([]);
            expect(problemsOf(load("prod.json"))).to.deep.equal([]);
        });

        it("dev.json makes everything advisory", () => {
            const levels = new Set([...resolvePackConfig(load("dev.json")).policies.values()].map((p) => p.level));
            expect([...levels]).to.deep.equal(["advisory"]);
        });

        it("prod.json makes everything mandatory and disables nothing, wholesale or per rule", () => {
            const levels = new Set([...resolvePackConfig(load("prod.json")).policies.values()].map((p) => p.level));
            expect([...levels]).to.deep.equal(["mandatory"]);
        });

        it("every exemption in the config files is scoped and gives a reason", () => {
            for (const file of ["dev.json", "prod.json"]) {
                for (const [id, policy] of resolvePackConfig(load(file)).policies) {
                    for (const exemption of policy.exemptions) {
                        expect(exemption.reason.length, `${file} ${id}`).to.be.greaterThan(20);
                        expect((exemption.namespaces ?? []).length + (exemption.names ?? []).length, `${file} ${id}`).to.be.greaterThan(0);
                    }
                }
            }
        });

        it("takes a policy's own level over `all`, `all` over the pack's advisory", () => {
            const levels = (raw: Record<string, unknown>) => ["application-prevent-default-project", "tenant-complete"].map((id) => resolvePackConfig(raw).policies.get(id)!.level);
            expect(levels({ all: "mandatory", "application-prevent-default-project": "disabled" })).to.deep.equal(["disabled", "mandatory"]);
            expect(levels({ all: { enforcementLevel: "mandatory" }, "tenant-complete": { enforcementLevel: "remediate" } })).to.deep.equal(["mandatory", "remediate"]);
            expect(levels({})).to.deep.equal(["advisory", "advisory"]);
        });

        it("fills in the settings' schema defaults and splits off exemptions and the environment", () => {
            const config = resolvePackConfig({
                "cert-manager-limit-duration": "mandatory",
                "vault-no-dev-mode-outside-dev": { environment: "prod", exemptions: [{ names: ["v"], reason: "a reason of some length" }] },
            });
            expect(config.policies.get("cert-manager-limit-duration")!.context).to.deep.equal({ settings: { maxCertificateDurationHours: 2160 } });
            expect(config.policies.get("vault-no-dev-mode-outside-dev")).to.deep.include({
                context: { settings: {}, environment: "prod" },
                exemptions: [{ names: ["v"], reason: "a reason of some length" }],
            });
        });

        it("fails on unknown policies, levels and settings, wrong types and bounds, and unscoped or unexplained exemptions, listing every problem", () => {
            expect(problemsOf({
                all: "strict",
                "no-literal-secrets-in-prodz": "mandatory",
                "no-literal-secrets-in-prod": { enforcementLevel: "mandatory", exemptions: [{ names: ["x"] }, { reason: "because it is needed here" }] },
                "cert-manager-limit-dnsnames": { maxDnsNames: "ten" },
                "cert-manager-limit-duration": { maxCertificateDurationHours: 0, maxDnsNames: 3 },
                "restrict-image-registries": { enforcementLevel: "mandatoryz", allowedRegistries: [""] },
                "helm-chart-pinned": 7,
            })).to.deep.equal([
                '"no-literal-secrets-in-prodz" is not a policy of this pack (did you mean "no-literal-secrets-in-prod"?)',
                'all "strict" must be one of "advisory", "mandatory", "remediate", "disabled"',
                'restrict-image-registries.enforcementLevel "mandatoryz" must be one of "advisory", "mandatory", "remediate", "disabled" (did you mean "mandatory"?)',
                'restrict-image-registries.allowedRegistries[0] "" must NOT have fewer than 1 characters',
                "cert-manager-limit-duration.maxDnsNames is not a setting of this policy; allowed: enforcementLevel, maxCertificateDurationHours, exemptions",
                "cert-manager-limit-duration.maxCertificateDurationHours 0 must be >= 1",
                'cert-manager-limit-dnsnames.maxDnsNames "ten" must be integer',
                "helm-chart-pinned 7 must be an enforcement level (advisory, mandatory, remediate, disabled) or an object of settings",
                "no-literal-secrets-in-prod.exemptions[0] must set at least 2 of namespaces, names, reason",
                "no-literal-secrets-in-prod.exemptions[0].reason is required",
                "no-literal-secrets-in-prod.exemptions[1] must set at least 2 of namespaces, names, reason",
            ]);
        });

        it("fails when the document is not an object", () => {
            expect(problemsOf(["mandatory"])).to.deep.equal(["must be a JSON object of policy name → enforcement level or settings"]);
        });
    });

    describe("exemptions", () => {
        const config = {
            all: "mandatory",
            "application-prevent-default-project": {
                exemptions: [{ namespaces: ["argocd"], names: ["legacy-app"], reason: "Migrated from the old hub; moves to its project in PLAT-123." }],
            },
        };

        it("mark exactly the scoped resource with the reason, and exempted findings do not block", () => {
            const exempted = findingsFor(APPLICATION, "legacy", badApp("legacy-app"), config, "application-prevent-default-project");
            expect(exempted).to.deep.equal([{
                policy: "application-prevent-default-project",
                severity: "medium",
                resource: { type: APPLICATION, name: "legacy" },
                path: "spec.project",
                message: DEFAULT_PROJECT,
                enforcementLevel: "mandatory",
                exempted: "Migrated from the old hub; moves to its project in PLAT-123.",
            }]);
            expect(blocking(exempted)).to.deep.equal([]);
        });

        it("do not cover the same name in another namespace, nor another name", () => {
            for (const [name, namespace] of [["legacy-app", "team-a"], ["other-app", "argocd"]]) {
                const findings = findingsFor(APPLICATION, name, badApp(name, namespace), config, "application-prevent-default-project");
                expect(findings.map((f) => f.exempted), `${name} in ${namespace}`).to.deep.equal([undefined]);
                expect(blocking(findings)).to.have.length(1);
            }
        });

        it("match a chart's namespace and a Vault object's name as well as metadata", () => {
            const reason = "a reason of some length";
            expect(exemptionFor([{ namespaces: ["vault"], reason }], { type: "kubernetes:helm.sh/v4:Chart", name: "vault-chart", props: { namespace: "vault" } })).to.equal(reason);
            expect(exemptionFor([{ names: ["tenant-a"], reason }], { type: "vault:index/policy:Policy", name: "a-policy", props: { name: "tenant-a" } })).to.equal(reason);
            expect(exemptionFor([{ names: ["tenant-a"] }], { type: "vault:index/policy:Policy", name: "a-policy", props: { name: "tenant-a" } })).to.equal(undefined);
        });

        it("apply to stack findings by the resource they are about", () => {
            const resources = tenant("team-a").filter((r) => r.type !== "vault:index/policy:Policy");
            const stackConfig = resolvePackConfig({
                all: "mandatory",
                "tenant-complete": { exemptions: [{ names: ["vcluster-team-a"], reason: "Vault policy is managed by the security team's stack." }] },
            });
            expect(evaluate(resources, only(stackConfig, "tenant-complete"))).to.deep.equal([{
                policy: "tenant-complete",
                severity: "high",
                resource: { type: "kubernetes:core/v1:Namespace", name: "tenant-team-a-namespace", urn: resources[0].urn },
                path: 'metadata.labels["gitops-hub.io/tenant"]',
                message: 'tenant "team-a" has no Vault policy "tenant-team-a".',
                enforcementLevel: "mandatory",
                exempted: "Vault policy is managed by the security team's stack.",
            }]);
        });
    });

    describe("fail closed", () => {
        const throwing: RuntimeRule = {
            ...(rules.find((r) => r.id === "application-prevent-default-project") as RuntimeRule),
            id: "throws",
            check: () => {
                throw new Error("boom");
            },
        };
        const hostile = {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: "x", namespace: "argocd" },
            get spec(): unknown {
                throw new Error("spec exploded");
            },
        };

        it("reports a check that throws as a mandatory failure at any level, never exempted, and it blocks", () => {
            const config = resolvePackConfig({ throws: { enforcementLevel: "advisory", exemptions: [{ names: ["x"], reason: "exempt the finding, not a crash" }] } }, { rules: [throwing] });
            const findings = evaluate([{ type: APPLICATION, name: "x", props: badApp("x") }], config);
            expect(findings).to.deep.equal([
                { policy: "throws", severity: "medium", resource: { type: APPLICATION, name: "x" }, path: "", message: "check failed: boom", enforcementLevel: "mandatory", failed: true },
            ]);
            expect(blocking(findings)).to.deep.equal(findings);
        });

        it("reports properties that cannot be read as a failure of every policy that applies", () => {
            const findings = findingsFor(APPLICATION, "x", hostile as unknown as Record<string, unknown>, {}, "application-prevent-default-project", "application-prevent-updates-project");
            expect(findings.map((f) => [f.policy, f.message, f.enforcementLevel, f.failed])).to.deep.equal([
                ["application-prevent-default-project", "check failed: the resource's properties cannot be read: spec exploded", "mandatory", true],
                ["application-prevent-updates-project", "check failed: the resource's properties cannot be read: spec exploded", "mandatory", true],
            ]);
        });

        it("reports a check that returns no list as a failure", () => {
            const odd: StackRule = { ...(rules.find((r) => r.id === "tenant-complete") as StackRule), id: "odd", check: () => "fine" as never };
            expect(evaluate([], resolvePackConfig({}, { rules: [odd] })).map((f) => [f.message, f.failed])).to.deep.equal([
                ["check failed: it returned string instead of a list of violations", true],
            ]);
        });

        it("reports a stack whose resources cannot be read as one failure of each stack policy", () => {
            const resources = [{ type: "kubernetes:core/v1:Namespace", name: "ns", get props(): Record<string, unknown> { throw new Error("no props"); } }];
            expect(evaluate(resources, only(resolvePackConfig({}), "tenant-complete", "appproject-unique-destinations")).map((f) => [f.policy, f.resource, f.message])).to.deep.equal([
                ["tenant-complete", undefined, "check failed: the stack's resources cannot be read: no props"],
                ["appproject-unique-destinations", undefined, "check failed: the stack's resources cannot be read: no props"],
            ]);
        });
    });

    describe("values unknown during preview", () => {
        it("reports a check that reads one as advisory 'can't run', like the engine, and it never blocks", () => {
            const props = { ...badApp("a"), spec: { project: UNKNOWN } };
            const findings = findingsFor(APPLICATION, "a", props, { all: "mandatory" }, "application-prevent-default-project");
            expect(findings).to.deep.equal([{
                policy: "application-prevent-default-project",
                severity: "medium",
                resource: { type: APPLICATION, name: "a" },
                path: "",
                message: "can't run policy 'application-prevent-default-project' during preview: string value at .spec.project can't be known during preview",
                enforcementLevel: "advisory",
                unknown: true,
            }]);
            expect(blocking(findings)).to.deep.equal([]);
        });

        it("does not mind unknown values a rule does not read", () => {
            const props = { ...badApp("a"), spec: { project: "team-a", destination: { server: UNKNOWN } } };
            expect(findingsFor(APPLICATION, "a", props, {}, "application-prevent-default-project")).to.deep.equal([]);
        });
    });

    describe("applicability", () => {
        it("runs runtime rules on every Kubernetes kind they name, via the Pulumi type token, with the settings' defaults", () => {
            const cert = { metadata: { name: "c", namespace: "n" }, spec: { duration: "9000h", issuerRef: { name: "x" } } };
            expect(findingsFor("kubernetes:cert-manager.io/v1:Certificate", "c", cert, {}, "cert-manager-limit-duration").map((f) => f.message)).to.deep.equal([
                'spec.duration "9000h" is 9000h; certificate duration must be at most 2160h.',
            ]);
            expect(findingsFor("kubernetes:core/v1:ConfigMap", "c", cert, {}, "cert-manager-limit-duration")).to.deep.equal([]);
        });

        it("skips disabled policies", () => {
            expect(findingsFor(APPLICATION, "a", badApp("a"), { all: "disabled" }, ...rules.map((r) => r.id))).to.deep.equal([]);
        });

        it("gives a rule the environment its config names, else the run's", () => {
            const vault = { chart: "vault", values: { server: { dev: { enabled: true } } } };
            const judge = (raw: Record<string, unknown>, environment?: string) =>
                evaluate([{ type: "kubernetes:helm.sh/v4:Chart", name: "vault-chart", props: vault }], only(resolvePackConfig(raw), "vault-no-dev-mode-outside-dev"), { environment }).length;
            expect([judge({}, "dev"), judge({}, "prod"), judge({ "vault-no-dev-mode-outside-dev": { environment: "dev" } }, "prod"), judge({})]).to.deep.equal([0, 1, 0, 1]);
        });

        it("judges resources the program reads only in stack policies", () => {
            const resources = tenant("team-a").map((r) => ({ ...r, resourcePolicies: false }));
            const judged = evaluate(resources, only(resolvePackConfig({}), "helm-chart-pinned", "tenant-complete"));
            expect(judged).to.deep.equal([]);
            const hidden = evaluate(resources.map((r) => ({ ...r, stackPolicies: r.type !== "kubernetes:argoproj.io/v1alpha1:AppProject" })), only(resolvePackConfig({}), "tenant-complete"));
            expect(hidden.map((f) => f.message)).to.deep.equal(['tenant "team-a" has no AppProject "team-a".']);
        });
    });
});
