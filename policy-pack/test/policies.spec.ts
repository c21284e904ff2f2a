import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { platformRules, rules, runtimeRules, stackRules } from "../catalog";
import { PolicyPackConfig, blocking, evaluateResource, evaluateStack } from "../evaluate";
import { policies } from "../policies";

const policyNames = policies.map((policy) => policy.name);
import { tenant } from "./stack/fixtures";

const configDir = path.join(__dirname, "..", "config");
const load = (file: string): PolicyPackConfig => JSON.parse(fs.readFileSync(path.join(configDir, file), "utf8"));
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** Validates a --policy-pack-config document the way the engine does: each policy's entry against its configSchema (plus enforcementLevel). */
function configErrors(config: Record<string, unknown>): string[] {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const errors: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        if (name === "all") {
            if (!LEVELS.includes(entry as string)) errors.push(`all: ${JSON.stringify(entry)} is not an enforcement level`);
            continue;
        }
        const policy = policies.find((p) => p.name === name);
        if (!policy) {
            errors.push(`${name}: no such policy`);
            continue;
        }
        if (typeof entry === "string") {
            if (!LEVELS.includes(entry)) errors.push(`${name}: ${entry} is not an enforcement level`);
            continue;
        }
        const schema = {
            type: "object",
            properties: { ...policy.configSchema?.properties, enforcementLevel: { type: "string", enum: LEVELS } },
            required: policy.configSchema?.required ?? [],
            additionalProperties: false,
        };
        const validate = ajv.compile(schema);
        if (!validate(entry)) {
            errors.push(...(validate.errors ?? []).map((e) => `${name}${e.instancePath}: ${e.message}`));
        }
    }
    return errors;
}

/** Calls a resource policy the way the analyzer server does, collecting what it reports. */
function validate(policyName: string, type: string, name: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): string[] {
    const policy = policies.find((p) => p.name === policyName) as ResourceValidationPolicy;
    const reported: string[] = [];
    const report: ReportViolation = (message) => reported.push(String(message));
    const args = { type, name, urn: `urn:pulumi:test::gitops-hub::${type}::${name}`, props, getConfig: () => config } as unknown as ResourceValidationArgs;
    (policy.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void)(args, report);
    return reported;
}

const badApp = (name: string, namespace = "argocd") => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name, namespace },
    spec: { project: "default" },
});

describe("policies", () => {
    it("has one policy per rule, named by the rule id, in catalog order", () => {
        expect(policyNames).to.deep.equal(rules.map((rule) => rule.id));
        expect(policyNames).to.include.members([
            "application-prevent-default-project",
            "application-prevent-updates-project",
            "cert-manager-limit-duration",
            "cert-manager-limit-dnsnames",
            "cert-manager-restrict-issuer",
            "disallow-ingress-nginx-custom-snippets",
            "helm-chart-pinned",
            "appproject-no-wildcards",
            "vault-no-dev-mode-outside-dev",
            "vault-tenant-policy-scoped",
            "vault-auth-role-bound",
            "clustersecretstore-namespace-conditions",
            "no-literal-secrets-in-prod",
            "vcluster-quota-enabled",
            "tenant-complete",
            "appproject-unique-destinations",
        ]);
        expect(new Set(policyNames).size).to.equal(policyNames.length);
    });

    it("makes resource policies of runtime and platform rules and stack policies of stack rules, with their descriptions", () => {
        for (const rule of [...runtimeRules, ...platformRules]) {
            const policy = policies.find((p) => p.name === rule.id) as ResourceValidationPolicy;
            expect(typeof policy.validateResource, rule.id).to.equal("function");
            expect(policy.description).to.equal(rule.description);
            expect(policy.enforcementLevel, rule.id).to.equal(undefined);
        }
        for (const rule of stackRules) {
            const policy = policies.find((p) => p.name === rule.id) as StackValidationPolicy;
            expect(typeof policy.validateStack, rule.id).to.equal("function");
            expect(policy.description).to.equal(rule.description);
        }
    });

    it("declares each rule's settings and exemptions in its configSchema", () => {
        expect(Object.keys(policies.find((p) => p.name === "cert-manager-restrict-issuer")!.configSchema!.properties)).to.deep.equal([
            "allowedIssuers",
            "allowedDomains",
            "exemptions",
        ]);
        expect(Object.keys(policies.find((p) => p.name === "helm-chart-pinned")!.configSchema!.properties)).to.deep.equal(["allowedChartRepositories", "exemptions"]);
        expect(Object.keys(policies.find((p) => p.name === "tenant-complete")!.configSchema!.properties)).to.deep.equal(["exemptions"]);
        for (const policy of policies) {
            expect(policy.configSchema!.properties, policy.name).to.not.have.property("enforcementLevel");
        }
    });

    describe("config files", () => {
        it("dev.json and prod.json satisfy every policy's configSchema", () => {
            expect(configErrors(load("dev.json"))).to.deep.equal([]);
            expect(configErrors(load("prod.json"))).to.deep.equal([]);
        });

        it("dev.json makes everything advisory", () => {
            const dev = load("dev.json");
            expect(dev.all).to.equal("advisory");
            for (const [name, entry] of Object.entries(dev)) {
                expect(typeof entry === "string" ? entry : entry.enforcementLevel ?? "advisory", name).to.equal("advisory");
            }
        });

        it("prod.json makes everything mandatory and disables nothing, wholesale or per rule", () => {
            const prod = load("prod.json");
            expect(prod.all).to.equal("mandatory");
            for (const [name, entry] of Object.entries(prod)) {
                expect(typeof entry === "string" ? entry : entry.enforcementLevel ?? "mandatory", name).to.equal("mandatory");
            }
        });

        it("every exemption in the config files is scoped and gives a reason", () => {
            for (const file of ["dev.json", "prod.json"]) {
                for (const [name, entry] of Object.entries(load(file))) {
                    for (const exemption of typeof entry === "object" ? entry.exemptions ?? [] : []) {
                        expect(exemption.reason.length, `${file} ${name}`).to.be.greaterThan(20);
                        expect((exemption.namespaces ?? []).length + (exemption.names ?? []).length, `${file} ${name}`).to.be.greaterThan(0);
                    }
                }
            }
        });

        it("rejects an exemption without a reason, an unscoped exemption, a wrong setting type and an unknown policy", () => {
            expect(
                configErrors({
                    "no-literal-secrets-in-prod": { enforcementLevel: "mandatory", exemptions: [{ names: ["x"] }, { reason: "because it is needed here" }] },
                    "cert-manager-limit-dnsnames": { maxDnsNames: "ten" },
                    "no-such-policy": "mandatory",
                }),
            ).to.deep.equal([
                "no-literal-secrets-in-prod/exemptions/0: must NOT have fewer than 2 properties",
                "no-literal-secrets-in-prod/exemptions/0: must have required property 'reason'",
                "no-literal-secrets-in-prod/exemptions/1: must NOT have fewer than 2 properties",
                "cert-manager-limit-dnsnames/maxDnsNames: must be integer",
                "no-such-policy: no such policy",
            ]);
        });
    });

    describe("exemptions", () => {
        const config: PolicyPackConfig = {
            all: "mandatory",
            "application-prevent-default-project": {
                exemptions: [{ namespaces: ["argocd"], names: ["legacy-app"], reason: "Migrated from the old hub; moves to its project in PLAT-123." }],
            },
        };

        it("suppress exactly the scoped resource and keep the reason", () => {
            const exempted = evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "legacy", badApp("legacy-app"), config, {
                policies: ["application-prevent-default-project"],
            });
            expect(exempted).to.deep.equal([
                {
                    policy: "application-prevent-default-project",
                    resource: "legacy",
                    path: "spec.project",
                    message: 'spec.project is "default"; the default project may not be used in an Application.',
                    enforcementLevel: "mandatory",
                    exempted: "Migrated from the old hub; moves to its project in PLAT-123.",
                },
            ]);
            expect(blocking(exempted)).to.deep.equal([]);
        });

        it("do not cover the same name in another namespace, nor another name", () => {
            for (const [name, namespace] of [["legacy-app", "team-a"], ["other-app", "argocd"]]) {
                const findings = evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", name, badApp(name, namespace), config, {
                    policies: ["application-prevent-default-project"],
                });
                expect(findings.map((f) => f.exempted), `${name} in ${namespace}`).to.deep.equal([undefined]);
                expect(blocking(findings)).to.have.length(1);
            }
        });

        it("are applied by the CrossGuard policy too", () => {
            const policyConfig = (config["application-prevent-default-project"] as Record<string, unknown>);
            expect(validate("application-prevent-default-project", "kubernetes:argoproj.io/v1alpha1:Application", "legacy", badApp("legacy-app"), policyConfig)).to.deep.equal([]);
            expect(validate("application-prevent-default-project", "kubernetes:argoproj.io/v1alpha1:Application", "other", badApp("other-app"), policyConfig)).to.deep.equal([
                'spec.project: spec.project is "default"; the default project may not be used in an Application.',
            ]);
        });

        it("apply to stack findings by the resource they are about", () => {
            const resources = tenant("team-a").filter((r) => r.type !== "vault:index/policy:Policy");
            const stackConfig: PolicyPackConfig = {
                all: "mandatory",
                "tenant-complete": { exemptions: [{ names: ["vcluster-team-a"], reason: "Vault policy is managed by the security team's stack." }] },
            };
            expect(evaluateStack(resources, stackConfig, { policies: ["tenant-complete"] })).to.deep.equal([
                {
                    policy: "tenant-complete",
                    resource: "tenant-team-a-namespace",
                    path: 'metadata.labels["gitops-hub.io/tenant"]',
                    message: 'tenant "team-a" has no Vault policy "tenant-team-a".',
                    enforcementLevel: "mandatory",
                    exempted: "Vault policy is managed by the security team's stack.",
                },
            ]);
        });
    });

    describe("fail closed", () => {
        const hostile = {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: "x", namespace: "argocd" },
            get spec(): unknown {
                throw new Error("spec exploded");
            },
        };

        it("reports a throwing check as a violation in evaluate, never as a pass, and does not exempt it", () => {
            const config: PolicyPackConfig = { "application-prevent-default-project": { enforcementLevel: "mandatory", exemptions: [{ names: ["x"], reason: "exempt the finding, not a crash" }] } };
            const findings = evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "x", hostile as unknown as Record<string, unknown>, config, {
                policies: ["application-prevent-default-project"],
            });
            expect(findings).to.deep.equal([
                {
                    policy: "application-prevent-default-project",
                    resource: "x",
                    path: "",
                    message: "check failed: the resource's properties cannot be read: spec exploded",
                    enforcementLevel: "mandatory",
                    failed: true,
                },
            ]);
        });

        it("reports a throwing check as a violation through the CrossGuard policy", () => {
            expect(validate("application-prevent-default-project", "kubernetes:argoproj.io/v1alpha1:Application", "x", hostile as unknown as Record<string, unknown>)).to.deep.equal([
                "check failed: spec exploded",
            ]);
        });

        it("reports a throwing stack check as a violation through the CrossGuard policy", () => {
            const policy = policies.find((p) => p.name === "tenant-complete") as StackValidationPolicy;
            const reported: string[] = [];
            const resources = [{ type: "kubernetes:core/v1:Namespace", name: "ns", urn: "u", get props(): Record<string, unknown> { throw new Error("no props"); } }];
            policy.validateStack({ resources, getConfig: () => ({}) } as unknown as StackValidationArgs, (m) => reported.push(String(m)));
            expect(reported).to.deep.equal(["check failed: no props"]);
        });
    });

    describe("placeholders", () => {
        it("unwraps secret values", () => {
            const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
            const props = { ...badApp("a"), spec: { project: secret("default") } };
            expect(evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "a", props, {}, { policies: ["application-prevent-default-project"] }).map((f) => f.message)).to.deep.equal([
                'spec.project is "default"; the default project may not be used in an Application.',
            ]);
        });

        it("reports a value unknown during preview as advisory 'can't run', like the engine", () => {
            const props = { ...badApp("a"), spec: { project: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } };
            expect(evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "a", props, { all: "mandatory" }, { policies: ["application-prevent-default-project"] })).to.deep.equal([
                {
                    policy: "application-prevent-default-project",
                    resource: "a",
                    path: "",
                    message: "can't run policy 'application-prevent-default-project' during preview: string value at .spec.project can't be known during preview",
                    enforcementLevel: "advisory",
                    unknown: true,
                },
            ]);
        });

        it("unwraps known output values and treats output values without a value as unknown", () => {
            const output = (value?: unknown) => ({ "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", ...(value === undefined ? {} : { value }) });
            const known = { ...badApp("a"), spec: { project: output("default") } };
            expect(evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "a", known, {}, { policies: ["application-prevent-default-project"] }).map((f) => f.message)).to.deep.equal([
                'spec.project is "default"; the default project may not be used in an Application.',
            ]);
            const unknown = { ...badApp("a"), spec: { project: output() } };
            expect(evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "a", unknown, {}, { policies: ["application-prevent-default-project"] }).map((f) => [f.unknown, f.enforcementLevel])).to.deep.equal([
                [true, "advisory"],
            ]);
        });

        it("does not read unknown values a rule does not need", () => {
            const props = { ...badApp("a"), spec: { project: "team-a", destination: { server: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } } };
            expect(evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "a", props, {}, { policies: ["application-prevent-default-project"] })).to.deep.equal([]);
        });
    });

    describe("applicability", () => {
        it("runs runtime rules on every Kubernetes kind they name, via the Pulumi type token", () => {
            const cert = { metadata: { name: "c", namespace: "n" }, spec: { duration: "9000h", issuerRef: { name: "x" } } };
            expect(evaluateResource("kubernetes:cert-manager.io/v1:Certificate", "c", cert, {}, { policies: ["cert-manager-limit-duration"] }).map((f) => f.message)).to.deep.equal([
                'spec.duration "9000h" is 9000h; certificate duration must be at most 2160h.',
            ]);
            expect(evaluateResource("kubernetes:core/v1:ConfigMap", "c", cert, {}, { policies: ["cert-manager-limit-duration"] })).to.deep.equal([]);
        });

        it("skips disabled policies", () => {
            expect(evaluateResource("kubernetes:argoproj.io/v1alpha1:Application", "a", badApp("a"), { all: "disabled" })).to.deep.equal([]);
        });
    });
});
