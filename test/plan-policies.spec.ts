// How the plan runs the pack's evaluator over a recorded run: the `--policy-pack-config` file
// (with the loader's did-you-mean hints), the recorded inputs as the analyzer would hand them
// over, the environment of the stack, reads, and the verdict. Made-up rules keep each case
// exact; the last block runs the pack's catalog. What a finding is, is the evaluator's
// (policy-pack/test/evaluate.spec.ts).
import { expect } from "chai";
import { rules as catalog } from "../policy-pack/catalog";
import type { RuntimeRule, StackRule } from "../policy-pack/catalog/core/types";
import { Plan, planOf } from "../scripts/plan/model";
import { PolicyConfigError, blocking, evaluatePolicies, resolvePolicyConfig, summarize } from "../scripts/plan/policies";
import { RecordedResource, SecretValue, UNKNOWN_VALUE, policyInputs } from "../scripts/recorder";

function resource(type: string, name: string, inputs: Record<string, unknown>, parent?: string): RecordedResource {
    return {
        type, name, urn: `urn:pulumi:dev::gitops-hub::${type}::${name}`, parent, custom: true, dependencies: [],
        protect: false, retainOnDelete: false, aliases: [], ignoreChanges: [], inputs, secretPaths: [],
    };
}

const POD = "kubernetes:core/v1:Pod";
const pod = (name: string, namespace: string, privileged: boolean) =>
    resource(POD, name, { metadata: { name, namespace }, spec: { containers: [{ name: "app", securityContext: { privileged } }] } });

const rule = { title: "test rule", category: "Test", framework: { bsi: ["SYS.1.6.A17"] }, remediation: "Fix it." };
/** What every finding of these rules carries from its rule. */
const FROM_RULE = { remediation: "Fix it.", framework: "BSI IT-Grundschutz 2023: SYS.1.6.A17" };

const noPrivileged: RuntimeRule = {
    ...rule,
    id: "no-privileged",
    scope: "runtime",
    description: "No privileged containers.",
    severity: "high",
    settings: { maxContainers: { type: "integer", minimum: 1, default: 5 } },
    kinds: ["Pod"],
    check(manifest, context) {
        const containers = (manifest.spec as { containers: { name: string; securityContext?: { privileged?: boolean } }[] }).containers;
        return containers.flatMap((c, i) => (c.securityContext?.privileged
            ? [{ path: `spec.containers[${i}].securityContext.privileged`, message: `container "${c.name}" is privileged (limit ${String(context.settings.maxContainers)}).` }]
            : []));
    },
    kyverno: () => [],
};

const onePodPerNamespace: StackRule = {
    ...rule,
    id: "one-pod-per-namespace",
    scope: "stack",
    description: "At most one Pod per namespace.",
    severity: "low",
    check(resources) {
        const seen = new Set<unknown>();
        return resources.filter((r) => r.type === POD).flatMap((r) => {
            const namespace = (r.props.metadata as { namespace: string }).namespace;
            const second = seen.has(namespace);
            seen.add(namespace);
            return second ? [{ resource: r.name, urn: r.urn, path: "metadata.namespace", message: `second Pod in "${namespace}"` }] : [];
        });
    },
};

const FAKE = [noPrivileged, onePodPerNamespace];

function fakePlan(resources: RecordedResource[]): Plan {
    return planOf("dev", { resources, outputs: {} });
}

describe("plan: policy evaluation", () => {
    describe("the policy-pack config", () => {
        it("resolves levels and the settings' schema defaults through the pack", () => {
            const config = resolvePolicyConfig({ all: "mandatory", "no-privileged": "disabled" }, FAKE);
            expect([...config.policies].map(([id, p]) => [id, p.level, p.context])).to.deep.equal([
                ["no-privileged", "disabled", { settings: { maxContainers: 5 } }],
                ["one-pod-per-namespace", "mandatory", { settings: {} }],
            ]);
            expect(config.file).to.equal("(policy config)");
        });

        it("fails on an unknown policy, level or setting, listing every problem, with the loader's did-you-mean", () => {
            let error: PolicyConfigError | undefined;
            try {
                resolvePolicyConfig({ all: "strict", "no-privilegd": "advisory", "no-privileged": { maxContainers: 0, colour: "red" } }, FAKE, "x.json");
            } catch (e) {
                error = e as PolicyConfigError;
            }
            expect(error).to.be.instanceOf(PolicyConfigError);
            expect(error!.message).to.equal("x.json: the policy-pack config has 4 problems");
            expect(error!.problems).to.deep.equal([
                '"no-privilegd" is not a policy of this pack (did you mean "no-privileged"?)',
                'all "strict" must be one of "advisory", "mandatory", "remediate", "disabled"',
                "no-privileged.colour is not a setting of this policy; allowed: enforcementLevel, maxContainers, exemptions",
                "no-privileged.maxContainers 0 must be >= 1",
            ]);
        });

        it("checks the pack's committed configs against the catalog", () => {
            for (const env of ["dev", "prod"]) {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const config = resolvePolicyConfig(require(`../policy-pack/config/${env}.json`), undefined, env);
                expect(config.policies.size).to.equal(catalog.length);
            }
        });
    });

    describe("resource and stack validation", () => {
        const plan = fakePlan([pod("a", "team-a", true), pod("b", "team-a", false), pod("c", "team-b", true)]);

        it("reports each violation with its policy, severity, level, resource and field path", async () => {
            const findings = await evaluatePolicies(plan, FAKE, resolvePolicyConfig({ "no-privileged": "mandatory" }, FAKE), { stack: "dev" });
            expect(findings.filter((f) => f.policy === "no-privileged")).to.deep.equal([
                { ...FROM_RULE, policy: "no-privileged", severity: "high", enforcementLevel: "mandatory", resource: { type: POD, name: "a", urn: plan.resources[0].urn }, path: "spec.containers[0].securityContext.privileged", message: `container "app" is privileged (limit 5).` },
                { ...FROM_RULE, policy: "no-privileged", severity: "high", enforcementLevel: "mandatory", resource: { type: POD, name: "c", urn: plan.resources[2].urn }, path: "spec.containers[0].securityContext.privileged", message: `container "app" is privileged (limit 5).` },
            ]);
            expect(findings.filter((f) => f.policy === "one-pod-per-namespace")).to.deep.equal([
                { ...FROM_RULE, policy: "one-pod-per-namespace", severity: "low", enforcementLevel: "advisory", resource: { type: POD, name: "b", urn: plan.resources[1].urn }, path: "metadata.namespace", message: `second Pod in "team-a"` },
            ]);
            expect(blocking(findings)).to.have.length(2);
        });

        it("evaluates only the rules asked for", async () => {
            const findings = await evaluatePolicies(plan, [onePodPerNamespace], resolvePolicyConfig({}, FAKE), { stack: "dev" });
            expect(findings.map((f) => f.policy)).to.deep.equal(["one-pod-per-namespace"]);
        });

        it("marks exempted findings with the reason and does not count them as failures", async () => {
            const config = resolvePolicyConfig({
                "no-privileged": { enforcementLevel: "mandatory", exemptions: [{ namespaces: ["team-b"], reason: "team-b runs a CNI agent" }] },
            }, FAKE);
            const findings = await evaluatePolicies(plan, FAKE, config, { stack: "dev" });
            const exempted = findings.filter((f) => f.exempted !== undefined);
            expect(exempted.map((f) => [f.resource!.name, f.exempted])).to.deep.equal([["c", "team-b runs a CNI agent"]]);
            expect(blocking(findings).map((f) => f.resource!.name)).to.deep.equal(["a"]);
            expect(summarize(findings, config)).to.deep.equal({ mandatory: 1, advisory: 1, exempted: 1, policiesEvaluated: 2 });
        });

        it("skips disabled policies", async () => {
            const findings = await evaluatePolicies(plan, FAKE, resolvePolicyConfig({ all: "disabled" }, FAKE), { stack: "dev" });
            expect(findings).to.deep.equal([]);
        });

        it("reports a value unknown until deployment as advisory, as the engine does", async () => {
            const unknown = fakePlan([resource(POD, "u", { metadata: { name: "u", namespace: "n" }, spec: { containers: [{ name: "app", securityContext: UNKNOWN_VALUE }] } })]);
            const findings = await evaluatePolicies(unknown, [noPrivileged], resolvePolicyConfig({ all: "mandatory" }, [noPrivileged]), { stack: "dev" });
            expect(findings).to.have.length(1);
            expect(findings[0]).to.include({ enforcementLevel: "advisory", unknown: true });
            expect(findings[0].message).to.equal("can't run policy 'no-privileged' during preview: string value at .spec.containers.0.securityContext can't be known during preview");
            expect(blocking(findings)).to.deep.equal([]);
        });

        it("fails closed when a check throws, even in an advisory environment", async () => {
            const broken: RuntimeRule = { ...noPrivileged, id: "broken", check: () => { throw new Error("boom"); } };
            const findings = await evaluatePolicies(fakePlan([pod("a", "n", false)]), [broken], resolvePolicyConfig({ all: "advisory" }, [broken]), { stack: "dev" });
            expect(findings).to.deep.equal([{ ...FROM_RULE, policy: "broken", severity: "high", enforcementLevel: "mandatory", resource: { type: POD, name: "a", urn: findings[0].resource!.urn }, path: "", message: "check failed: boom", failed: true }]);
            expect(blocking(findings)).to.have.length(1);
        });

        it("judges a resource the program reads only in stack policies", async () => {
            const read = { ...pod("r", "team-a", true), read: true };
            const findings = await evaluatePolicies(fakePlan([pod("a", "team-a", false), read]), FAKE, resolvePolicyConfig({}, FAKE), { stack: "dev" });
            expect(findings.map((f) => [f.policy, f.resource!.name])).to.deep.equal([["one-pod-per-namespace", "r"]]);
        });

        it("gives rules the stack's name as their environment, as the engine does", async () => {
            const vault = resource("kubernetes:helm.sh/v4:Chart", "vault-chart", { chart: "vault", values: { server: { dev: { enabled: true } } } });
            const judge = async (stack: string) => (await evaluatePolicies(fakePlan([vault]), undefined, resolvePolicyConfig({ all: "disabled", "vault-no-dev-mode-outside-dev": "mandatory" }), { stack })).length;
            expect([await judge("dev"), await judge("acme/gitops-hub/dev"), await judge("prod")]).to.deep.equal([0, 0, 1]);
        });
    });

    describe("inputs as a policy sees them", () => {
        it("masks secret values, keeping a secret mapping's keys, and gives unknowns as the engine's sentinel", () => {
            expect(policyInputs({ a: new SecretValue("hunter2"), b: new SecretValue({ user: "u", pass: "p" }), c: [1, "x"], d: UNKNOWN_VALUE })).to.deep.equal({
                a: "[secret]", b: { user: "[secret]", pass: "[secret]" }, c: [1, "x"], d: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            });
        });
    });

    describe("the pack's catalog", () => {
        it("flags a privileged Pod, mandatory where the config says so", async () => {
            const planned = fakePlan([pod("priv", "team-a", true)]);
            const config = resolvePolicyConfig({ all: "advisory", "disallow-privileged-containers": "mandatory" });
            const findings = await evaluatePolicies(planned, undefined, config, { stack: "dev" });
            const privileged = findings.filter((f) => f.policy === "disallow-privileged-containers");
            expect(privileged).to.have.length(1);
            expect(privileged[0]).to.include({ enforcementLevel: "mandatory", path: "spec.containers[0].securityContext.privileged" });
            expect(privileged[0].resource!.name).to.equal("priv");
        });
    });
});
