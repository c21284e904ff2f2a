import { expect } from "chai";

import { BSI_ANNOTATION, CATALOG_RULE_LABEL, PSS_LEVEL_LABEL, renderClusterPolicies, renderClusterPolicy } from "../catalog/kyverno";
import type { Manifest, RuleContext, RuntimeRule } from "../catalog/core/types";
import { podRules } from "../catalog";

const context: RuleContext = { settings: { allowedRegistries: ["ghcr.io/acme/"] } };

const VALIDATION_KEYS = ["pattern", "anyPattern", "deny", "foreach", "cel"];

type KyvernoRule = {
    name?: unknown;
    match?: { any?: { resources?: { kinds?: unknown } }[] };
    validate?: Record<string, unknown>;
};

function rulesOf(policy: Manifest): KyvernoRule[] {
    return (policy.spec as { rules: KyvernoRule[] }).rules;
}

const WORKLOAD_IDS = [
    "disallow-capabilities",
    "disallow-host-namespaces",
    "disallow-host-path",
    "disallow-host-ports",
    "disallow-host-probes",
    "disallow-host-process",
    "disallow-privileged-containers",
    "disallow-proc-mount",
    "disallow-selinux",
    "restrict-apparmor-profiles",
    "restrict-seccomp",
    "restrict-sysctls",
    "disallow-capabilities-strict",
    "disallow-privilege-escalation-itgrundschutz",
    "require-run-as-nonroot",
    "require-run-as-non-root-user",
    "restrict-seccomp-strict",
    "restrict-volume-types",
    "disallow-default-namespace",
    "disallow-latest-tag",
    "require-pod-probes",
    "require-requests-limits",
    "require-ro-rootfs",
    "restrict-image-registries",
];

describe("kyverno rendering", () => {
    it("podRules holds every workload rule exactly once, in a stable order", () => {
        expect(podRules.map((rule) => rule.id)).to.deep.equal(WORKLOAD_IDS);
    });

    for (const rule of podRules) {
        describe(rule.id, () => {
            const policy = renderClusterPolicy(rule, { validationFailureAction: "Enforce", context });

            it("renders a kyverno.io/v1 ClusterPolicy named after the rule, with the catalog metadata", () => {
                expect(policy.apiVersion).to.equal("kyverno.io/v1");
                expect(policy.kind).to.equal("ClusterPolicy");
                expect(policy.metadata?.name).to.equal(rule.id);
                expect(policy.metadata?.annotations).to.include({
                    "policies.kyverno.io/title": rule.title,
                    "policies.kyverno.io/category": rule.category,
                    "policies.kyverno.io/severity": rule.severity,
                    "policies.kyverno.io/subject": "Pod",
                    "policies.kyverno.io/description": rule.description,
                    [BSI_ANNOTATION]: rule.framework.bsi.join(", "),
                });
                expect(rule.framework.bsi).to.not.be.empty;
                expect(policy.metadata?.labels?.[CATALOG_RULE_LABEL]).to.equal("true");
                expect(policy.metadata?.labels?.[PSS_LEVEL_LABEL]).to.equal(rule.framework.pss);
            });

            it("has validate rules with a unique name, kinds to match, a message and a check", () => {
                const rules = rulesOf(policy);
                expect(rules).to.not.be.empty;
                expect(rules.some((r) => r.match?.any?.some((filter) => (filter.resources?.kinds as string[]).includes("Pod"))), "some rule matches Pod").to.equal(true);
                const names = rules.map((r) => r.name);
                expect(new Set(names).size, "rule names are unique").to.equal(names.length);
                for (const r of rules) {
                    expect(r.name).to.be.a("string").and.match(/^[a-zA-Z0-9-]+$/);
                    const kinds = r.match?.any?.flatMap((filter) => filter.resources?.kinds as string[]);
                    expect(kinds, `${String(r.name)} match kinds`).to.be.an("array").that.is.not.empty;
                    expect(kinds!.every((kind) => rule.kinds.includes(kind)), `${String(r.name)} matches only kinds the rule checks`).to.equal(true);
                    expect(r.validate?.message).to.be.a("string").and.not.equal("");
                    expect(Object.keys(r.validate ?? {}).filter((key) => VALIDATION_KEYS.includes(key)), `${String(r.name)} check`).to.have.lengthOf(1);
                    expect(r.validate?.failureAction).to.equal("Enforce");
                }
            });

            it("is plain JSON (nothing lost on the way to the API server)", () => {
                expect(JSON.parse(JSON.stringify(policy))).to.deep.equal(policy);
            });

            it("scans existing resources in the background by default", () => {
                expect((policy.spec as { background: boolean }).background).to.equal(true);
            });
        });
    }

    it("names the Kubernetes release whose Pod Security Standards each PSS rule follows, and only for PSS rules", () => {
        const pssRules = podRules.filter((rule) => rule.framework.pss !== undefined);
        expect(pssRules).to.have.lengthOf(18);
        expect(podRules.filter((rule) => (rule.framework.pss === undefined) !== (rule.framework.pssKubernetesVersion === undefined)).map((r) => r.id)).to.deep.equal([]);
        expect(new Set(pssRules.map((rule) => rule.framework.pssKubernetesVersion))).to.deep.equal(new Set(["1.37"]));
    });

    it("passes Audit and Enforce through to every rule of every policy", () => {
        for (const action of ["Audit", "Enforce"] as const) {
            const policies = renderClusterPolicies(podRules, { validationFailureAction: action, context });
            const actions = policies.flatMap((policy) => rulesOf(policy).map((r) => r.validate?.failureAction));
            expect(actions).to.have.length.greaterThan(podRules.length - 1);
            expect(new Set(actions)).to.deep.equal(new Set([action]));
        }
    });

    it("does not write the deprecated spec.validationFailureAction", () => {
        const policy = renderClusterPolicy(podRules[0], { validationFailureAction: "Enforce", context });
        expect(policy.spec).to.not.have.property("validationFailureAction");
    });

    it("passes background: false through", () => {
        const policy = renderClusterPolicy(podRules[0], { validationFailureAction: "Audit", background: false, context });
        expect((policy.spec as { background: boolean }).background).to.equal(false);
    });

    it("turns auto-gen off for disallow-default-namespace, which matches controllers itself", () => {
        const rule = podRules.find((r) => r.id === "disallow-default-namespace")!;
        const policy = renderClusterPolicy(rule, { validationFailureAction: "Audit", context });
        expect(policy.metadata?.annotations?.["pod-policies.kyverno.io/autogen-controllers"]).to.equal("none");
        expect(rulesOf(policy).map((r) => r.match?.any?.[0].resources?.kinds)).to.deep.equal([
            ["Pod"],
            ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"],
        ]);
    });

    it("leaves auto-gen on for Pod-only policies", () => {
        const policies = renderClusterPolicies(
            podRules.filter((r) => r.id !== "disallow-default-namespace"),
            { validationFailureAction: "Audit", context },
        );
        expect(policies.filter((p) => p.metadata?.annotations?.["pod-policies.kyverno.io/autogen-controllers"] !== undefined)).to.deep.equal([]);
    });

    it("fails when the failure action is neither Audit nor Enforce", () => {
        const options = { validationFailureAction: "enforce", context } as unknown as Parameters<typeof renderClusterPolicy>[1];
        expect(() => renderClusterPolicy(podRules[0], options)).to.throw('validationFailureAction "enforce" must be "Audit" or "Enforce".');
    });

    it("fails when a Kyverno rule has no validate block", () => {
        const broken: RuntimeRule = { ...podRules[0], id: "broken", kyverno: () => [{ name: "mutate-it", match: {}, mutate: {} }] };
        expect(() => renderClusterPolicy(broken, { validationFailureAction: "Audit", context })).to.throw(
            'rule "broken" Kyverno rule #0 ("mutate-it") has no validate block; only validate rules are rendered.',
        );
    });

    it("renders the exact ClusterPolicy of disallow-privilege-escalation-itgrundschutz", () => {
        const rule = podRules.find((r) => r.id === "disallow-privilege-escalation-itgrundschutz")!;
        const required = { securityContext: { allowPrivilegeEscalation: "false" } };
        expect(renderClusterPolicy(rule, { validationFailureAction: "Audit", context })).to.deep.equal({
            apiVersion: "kyverno.io/v1",
            kind: "ClusterPolicy",
            metadata: {
                name: "disallow-privilege-escalation-itgrundschutz",
                labels: { [CATALOG_RULE_LABEL]: "true", [PSS_LEVEL_LABEL]: "restricted" },
                annotations: {
                    "policies.kyverno.io/title": "Disallow Privilege Escalation (IT-Grundschutz)",
                    "policies.kyverno.io/category": "IT-Grundschutz (standard)",
                    "policies.kyverno.io/severity": "high",
                    "policies.kyverno.io/subject": "Pod",
                    "policies.kyverno.io/minversion": "1.13.0",
                    "policies.kyverno.io/description": rule.description,
                    [BSI_ANNOTATION]: "SYS.1.6.A17, APP.4.4.A4",
                },
            },
            spec: {
                background: true,
                rules: [
                    {
                        name: "privilege-escalation",
                        match: { any: [{ resources: { kinds: ["Pod"] } }] },
                        preconditions: { all: [{ key: "{{ request.object.spec.os.name || '' }}", operator: "NotEquals", value: "windows" }] },
                        validate: {
                            message:
                                "Privilege escalation is disallowed: spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must set securityContext.allowPrivilegeEscalation to false.",
                            pattern: { spec: { "=(ephemeralContainers)": [required], "=(initContainers)": [required], containers: [required] } },
                            failureAction: "Audit",
                        },
                    },
                ],
            },
        });
    });
});
