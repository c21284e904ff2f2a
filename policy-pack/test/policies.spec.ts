// The CrossGuard adapter: one policy per rule with the rule's metadata and configSchema, and the
// evaluator's findings handed to the engine as the analyzer expects them. What the findings are
// is the evaluator's (evaluate.spec.ts); test/policy-engine.spec.ts runs adapter and plan side by side.
import { expect } from "chai";
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { platformRules, rules, runtimeRules, stackRules } from "../catalog";
import { policies } from "../policies";
import { tenant } from "./stack/fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: never[]) => Error };

const policyNames = policies.map((policy) => policy.name);

/** Calls a resource policy the way the analyzer server does, collecting what it reports. */
function validate(policyName: string, type: string, name: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): string[] {
    const policy = policies.find((p) => p.name === policyName) as ResourceValidationPolicy;
    const reported: string[] = [];
    const report: ReportViolation = (message) => reported.push(String(message));
    const args = { type, name, urn: `urn:pulumi:test::gitops-hub::${type}::${name}`, props, getConfig: () => config } as unknown as ResourceValidationArgs;
    (policy.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void)(args, report);
    return reported;
}

const APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application";
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


    it("reports each finding as `path: message`, and leaves exempted ones out", () => {
        const config = { exemptions: [{ namespaces: ["argocd"], names: ["legacy-app"], reason: "Migrated from the old hub; moves to its project in PLAT-123." }] };
        expect(validate("application-prevent-default-project", APPLICATION, "legacy", badApp("legacy-app"), config)).to.deep.equal([]);
        expect(validate("application-prevent-default-project", APPLICATION, "other", badApp("other-app"), config)).to.deep.equal([
            'spec.project: spec.project is "default"; the default project may not be used in an Application.',
        ]);
    });

    it("reports stack findings on the URN of the resource they are about", () => {
        const policy = policies.find((p) => p.name === "tenant-complete") as StackValidationPolicy;
        const reported: [string, string | undefined][] = [];
        const resources = tenant("team-a").filter((r) => r.type !== "vault:index/policy:Policy");
        policy.validateStack({ resources, getConfig: () => ({}) } as unknown as StackValidationArgs, (m, urn) => reported.push([String(m), urn]));
        expect(reported).to.deep.equal([['metadata.labels["gitops-hub.io/tenant"]: tenant "team-a" has no Vault policy "tenant-team-a".', resources[0].urn]]);
    });

    it("fails when a check throws: the policy throws, so the engine refuses the preview whatever its level", () => {
        const hostile = { ...badApp("x"), get spec(): unknown { throw new Error("spec exploded"); } };
        expect(() => validate("application-prevent-default-project", APPLICATION, "x", hostile as unknown as Record<string, unknown>)).to.throw(
            Error, "check failed: the resource's properties cannot be read: spec exploded",
        );
        const policy = policies.find((p) => p.name === "tenant-complete") as StackValidationPolicy;
        const resources = [{ type: "kubernetes:core/v1:Namespace", name: "ns", urn: "u", get props(): Record<string, unknown> { throw new Error("no props"); } }];
        expect(() => policy.validateStack({ resources, getConfig: () => ({}) } as unknown as StackValidationArgs, () => undefined)).to.throw(
            Error, "check failed: the stack's resources cannot be read: no props",
        );
    });

    it("throws the analyzer's own UnknownValueError for a value unknown during preview, which the engine reports as an advisory 'can't run'", () => {
        const props = { ...badApp("a"), spec: { project: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } };
        let thrown: unknown;
        try {
            validate("application-prevent-default-project", APPLICATION, "a", props);
        } catch (error) {
            thrown = error;
        }
        expect(thrown).to.be.instanceOf(UnknownValueError);
        expect((thrown as Error).message).to.equal("string value at .spec.project can't be known during preview");
    });
});
