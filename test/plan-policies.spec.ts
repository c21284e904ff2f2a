// How the planner runs CrossGuard policy objects: enforcement levels from a
// `--policy-pack-config` document, exemptions shown with their reason, field paths, stack
// validation, unknown values and policies that throw. Fake policies keep each case exact; the
// last block runs the pack's real policies.
import { expect } from "chai";
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyPackConfig, evaluateResource, evaluateStack } from "../policy-pack/evaluate";
import { policies as packPolicies } from "../policy-pack/policies";
import { Plan, planOf } from "../scripts/lib/plan/model";
import {
    PolicyConfigError, blocking, evaluatePolicies, policyProps, resolvePolicyConfig, splitPath, summarize,
} from "../scripts/lib/plan/policies";
import { RecordedResource, SecretValue, UNKNOWN_VALUE } from "../scripts/lib/recorder";
import { runStack } from "./helpers";

function resource(type: string, name: string, inputs: Record<string, unknown>, parent?: string): RecordedResource {
    return {
        type, name, urn: `urn:pulumi:dev::gitops-hub::${type}::${name}`, parent, custom: true, dependencies: [],
        protect: false, retainOnDelete: false, aliases: [], ignoreChanges: [], inputs, secretPaths: [],
    };
}

const POD = "kubernetes:core/v1:Pod";
const pod = (name: string, namespace: string, privileged: boolean) =>
    resource(POD, name, { metadata: { name, namespace }, spec: { containers: [{ name: "app", securityContext: { privileged } }] } });

const noPrivileged: ResourceValidationPolicy = {
    name: "no-privileged",
    description: "No privileged containers.",
    severity: "high",
    enforcementLevel: "advisory",
    configSchema: { properties: { exemptions: { type: "array" }, maxContainers: { type: "integer", minimum: 1, default: 5 } } },
    validateResource: (args, report) => {
        if (args.type !== POD) return;
        args.props.spec.containers.forEach((c: any, i: number) => {
            if (c.securityContext?.privileged) report(`spec.containers[${i}].securityContext.privileged: container "${c.name}" is privileged (limit ${args.getConfig<{ maxContainers: number }>().maxContainers}).`);
        });
    },
};

const onePodPerNamespace: StackValidationPolicy = {
    name: "one-pod-per-namespace",
    description: "At most one Pod per namespace.",
    severity: "low",
    validateStack: (args, report) => {
        const seen = new Set<string>();
        for (const r of args.resources.filter((x) => x.type === POD)) {
            if (seen.has(r.props.metadata.namespace)) report(`metadata.namespace: second Pod in "${r.props.metadata.namespace}"`, r.urn);
            seen.add(r.props.metadata.namespace);
        }
        if (seen.size === 0) report("the stack has no Pod at all");
    },
};

const FAKE: Policies = [noPrivileged, onePodPerNamespace];

function fakePlan(resources: RecordedResource[]): Plan {
    return planOf("dev", { resources, outputs: {} });
}

describe("plan: policy evaluation", () => {
    describe("the policy-pack config", () => {
        it("takes a policy's own entry over `all`, `all` over the policy's default, and the pack default last", () => {
            const both = resolvePolicyConfig({ all: "mandatory", "no-privileged": "disabled" }, FAKE);
            expect(both.policies.get("no-privileged")!.level).to.equal("disabled");
            expect(both.policies.get("one-pod-per-namespace")!.level).to.equal("mandatory");
            const none = resolvePolicyConfig({}, FAKE);
            expect(none.policies.get("no-privileged")!.level).to.equal("advisory");
            expect(none.policies.get("one-pod-per-namespace")!.level).to.equal("advisory");
            const object = resolvePolicyConfig({ all: { enforcementLevel: "mandatory" }, "no-privileged": { maxContainers: 2 } }, FAKE);
            expect(object.policies.get("no-privileged")).to.deep.equal({ level: "mandatory", config: { maxContainers: 2 } });
        });

        it("applies the config schema's defaults", () => {
            expect(resolvePolicyConfig({}, FAKE).policies.get("no-privileged")!.config).to.deep.equal({ maxContainers: 5 });
        });

        it("fails on an unknown policy, level or setting, listing every problem", () => {
            let error: PolicyConfigError | undefined;
            try {
                resolvePolicyConfig({ all: "strict", "no-privilegd": "advisory", "no-privileged": { maxContainers: 0, colour: "red" } }, FAKE, "x.json");
            } catch (e) {
                error = e as PolicyConfigError;
            }
            expect(error).to.be.instanceOf(PolicyConfigError);
            expect(error!.message).to.equal("x.json: the policy-pack config has 4 problems");
            expect(error!.problems[0]).to.equal(`all "strict" must be one of "advisory", "mandatory", "remediate", "disabled"`);
            expect(error!.problems[1]).to.match(/^"no-privilegd" is not a policy of this pack.*"no-privileged"/);
            expect(error!.problems.slice(2)).to.deep.equal([
                "no-privileged.maxContainers 0 must be at least 1",
                "no-privileged.colour is not a setting of this policy; allowed: enforcementLevel, exemptions, maxContainers",
            ]);
        });

        it("checks the pack's committed configs against the pack's own schemas", () => {
            for (const env of ["dev", "prod"]) {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const config = resolvePolicyConfig(require(`../policy-pack/config/${env}.json`), packPolicies, env);
                expect(config.policies.size).to.equal(packPolicies.length);
            }
        });
    });

    describe("resource and stack validation", () => {
        const plan = fakePlan([pod("a", "team-a", true), pod("b", "team-a", false), pod("c", "team-b", true)]);

        it("reports each violation with its policy, severity, level, resource and field path", async () => {
            const findings = await evaluatePolicies(plan, FAKE, resolvePolicyConfig({ "no-privileged": "mandatory" }, FAKE), { stack: "dev" });
            expect(findings.filter((f) => f.policy === "no-privileged")).to.deep.equal([
                { policy: "no-privileged", severity: "high", enforcementLevel: "mandatory", resource: { type: POD, name: "a", urn: plan.resources[0].urn }, path: "spec.containers[0].securityContext.privileged", message: `container "app" is privileged (limit 5).` },
                { policy: "no-privileged", severity: "high", enforcementLevel: "mandatory", resource: { type: POD, name: "c", urn: plan.resources[2].urn }, path: "spec.containers[0].securityContext.privileged", message: `container "app" is privileged (limit 5).` },
            ]);
            expect(findings.filter((f) => f.policy === "one-pod-per-namespace")).to.deep.equal([
                { policy: "one-pod-per-namespace", severity: "low", enforcementLevel: "advisory", resource: { type: POD, name: "b", urn: plan.resources[1].urn }, path: "metadata.namespace", message: `second Pod in "team-a"` },
            ]);
            expect(blocking(findings)).to.have.length(2);
        });

        it("marks exempted findings with the reason, hides exemptions from the policy, and does not count them as failures", async () => {
            const config = resolvePolicyConfig({
                "no-privileged": { enforcementLevel: "mandatory", exemptions: [{ namespaces: ["team-b"], reason: "team-b runs a CNI agent" }] },
            }, FAKE);
            let seen: unknown;
            const spy: ResourceValidationPolicy = { ...noPrivileged, validateResource: (args) => { seen = args.getConfig(); } };
            await evaluatePolicies(plan, [spy], resolvePolicyConfig({ "no-privileged": { exemptions: [{ names: ["x"], reason: "because of x" }] } }, [spy]), { stack: "dev" });
            expect(seen).to.deep.equal({ maxContainers: 5 });
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

        it("reports a stack violation without a resource against the stack", async () => {
            const findings = await evaluatePolicies(fakePlan([]), FAKE, resolvePolicyConfig({}, FAKE), { stack: "dev" });
            expect(findings).to.deep.equal([{ policy: "one-pod-per-namespace", severity: "low", enforcementLevel: "advisory", path: "", message: "the stack has no Pod at all" }]);
        });

        it("reports a value unknown until deployment as advisory, as the engine does", async () => {
            const unknown = fakePlan([resource(POD, "u", { metadata: { name: "u", namespace: "n" }, spec: { containers: [{ name: "app", securityContext: UNKNOWN_VALUE }] } })]);
            const findings = await evaluatePolicies(unknown, [noPrivileged], resolvePolicyConfig({ all: "mandatory" }, [noPrivileged]), { stack: "dev" });
            expect(findings).to.have.length(1);
            expect(findings[0]).to.include({ enforcementLevel: "advisory", unknown: true });
            expect(findings[0].message).to.match(/^can't run policy 'no-privileged' during preview: .*securityContext/);
            expect(blocking(findings)).to.deep.equal([]);
        });

        it("fails closed when a policy throws", async () => {
            const broken: ResourceValidationPolicy = { ...noPrivileged, name: "broken", validateResource: () => { throw new Error("boom"); } };
            const findings = await evaluatePolicies(fakePlan([pod("a", "n", false)]), [broken], resolvePolicyConfig({}, [broken]), { stack: "dev" });
            expect(findings).to.deep.equal([{ policy: "broken", severity: "high", enforcementLevel: "mandatory", resource: { type: POD, name: "a", urn: findings[0].resource!.urn }, path: "", message: "policy threw: boom", failed: true }]);
            expect(blocking(findings)).to.have.length(1);
        });
    });

    describe("inputs as a policy sees them", () => {
        it("unwraps secrets to an opaque string, keeping a secret mapping's keys", () => {
            expect(policyProps({ a: new SecretValue("hunter2"), b: new SecretValue({ user: "u", pass: "p" }), c: [1, "x"] })).to.deep.equal({
                a: "[secret]", b: { user: "[secret]", pass: "[secret]" }, c: [1, "x"],
            });
        });

        it("splits `path: message` and leaves other messages whole", () => {
            expect(splitPath(`metadata.annotations["a.b/c"]: is missing`)).to.deep.equal({ path: `metadata.annotations["a.b/c"]`, message: "is missing" });
            expect(splitPath("spec.containers[0].image: uses :latest")).to.deep.equal({ path: "spec.containers[0].image", message: "uses :latest" });
            expect(splitPath("check failed: boom")).to.deep.equal({ path: "", message: "check failed: boom" });
        });
    });

    describe("the pack's own policies", () => {
        it("find on a whole stack exactly what the pack's evaluate helper finds (same levels, paths, exemptions)", async () => {
            const result = await runStack("dev");
            const planned = planOf("dev", result);
            const raw = {
                all: "advisory",
                "vault-no-dev-mode-outside-dev": { enforcementLevel: "mandatory", environment: "prod", exemptions: [{ namespaces: ["vault"], reason: "the dev stack runs Vault in dev mode" }] },
                "disallow-default-namespace": "disabled",
            };
            const mine = await evaluatePolicies(planned, packPolicies, resolvePolicyConfig(raw, packPolicies), { stack: "dev" });
            const props = (r: RecordedResource) => policyProps(r.inputs) as Record<string, unknown>;
            const theirs = [
                ...result.resources.filter((r) => !r.read).flatMap((r) => evaluateResource(r.type, r.name, props(r), raw as PolicyPackConfig, { environment: "dev" })),
                ...evaluateStack(result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: props(r) })), raw as PolicyPackConfig, { environment: "dev" }),
            ];
            const key = (f: { policy: string; path: string; message: string; enforcementLevel: string; exempted?: string }, resource: string) =>
                JSON.stringify([f.policy, resource, f.path, f.message, f.enforcementLevel, f.exempted ?? null]);
            const ours = mine.map((f) => key(f, f.resource?.name ?? "stack")).sort();
            expect(ours).to.deep.equal(theirs.map((f) => key(f, f.resource)).sort());
            expect(ours.length).to.be.greaterThan(0);
            expect(mine.filter((f) => f.exempted !== undefined).map((f) => [f.policy, f.resource!.name])).to.deep.equal([["vault-no-dev-mode-outside-dev", "vault-chart"]]);
        });

        it("flags a privileged Pod through the same policy object the pack serves", async () => {
            const planned = fakePlan([pod("priv", "team-a", true)]);
            const config = resolvePolicyConfig({ all: "advisory", "disallow-privileged-containers": "mandatory" }, packPolicies);
            const findings = await evaluatePolicies(planned, packPolicies, config, { stack: "dev" });
            const privileged = findings.filter((f) => f.policy === "disallow-privileged-containers");
            expect(privileged).to.have.length(1);
            expect(privileged[0]).to.include({ enforcementLevel: "mandatory", path: "spec.containers[0].securityContext.privileged" });
            expect(privileged[0].resource!.name).to.equal("priv");
        });
    });
});
