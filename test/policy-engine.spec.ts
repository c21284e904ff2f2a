// One evaluator, two callers: the CrossGuard adapter (policy-pack/policies.ts), driven here the
// way @pulumi/policy's analyzer server drives it, and the offline plan must reach the same
// findings over the same resources: the same policies, resources, levels, fields and messages,
// the same values unknown during preview, and the same checks that throw.
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { rules as catalog } from "../policy-pack/catalog";
import type { Rule, RuntimeRule, StackRule } from "../policy-pack/catalog/core/types";
import { engineMessage, policyFor } from "../policy-pack/policies";
import { planOf } from "../scripts/plan/model";
import { PolicyFinding, evaluatePolicies, resolvePolicyConfig } from "../scripts/plan/policies";
import { RecordedResource, UNKNOWN_VALUE, policyInputs } from "../scripts/recorder";
import { runStack } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: never[]) => Error; unknownCheckingProxy<T extends object>(value: T): T };

/** What the engine shows for one policy and resource: a violation at a level, a "can't run" advisory, or the error that aborts the preview. */
type Outcome = { policy: string; urn: string | null; kind: "violation" | "unknown" | "error"; level: string; text: string };

const throwsOnSecrets: RuntimeRule = {
    ...(catalog.find((r) => r.id === "disallow-default-namespace") as RuntimeRule),
    id: "throws-on-secrets",
    kinds: ["Secret"],
    check: () => {
        throw new Error("this check is broken");
    },
};
const throwsOnStack: StackRule = {
    ...(catalog.find((r) => r.id === "tenant-complete") as StackRule),
    id: "throws-on-stack",
    check: () => {
        throw new TypeError("cannot read properties of undefined (reading 'spec')");
    },
};
const RULES: readonly Rule[] = [...catalog, throwsOnSecrets, throwsOnStack];

/** A dev-like config with every kind of entry: levels, a disabled policy, exemptions, settings. */
const RAW = {
    all: "advisory",
    "disallow-privileged-containers": "mandatory",
    "application-prevent-default-project": { enforcementLevel: "mandatory", exemptions: [{ names: ["legacy"], reason: "moves to its project in PLAT-123" }] },
    "require-pod-probes": "disabled",
    "restrict-image-registries": { allowedRegistries: ["ghcr.io/acme/"] },
    "throws-on-secrets": { enforcementLevel: "advisory", exemptions: [{ namespaces: ["team-a"], reason: "exempts findings, never a crash" }] },
};

function recorded(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
    return { type, name, urn: `urn:pulumi:dev::gitops-hub::${type}::${name}`, custom: true, dependencies: [], protect: false, retainOnDelete: false, aliases: [], ignoreChanges: [], inputs, secretPaths: [] };
}

/** Resources that give every kind of finding: a violation, an exempted one, an unknown value, a throwing check. */
const EXTRA = [
    recorded("kubernetes:core/v1:Pod", "priv", { metadata: { name: "priv", namespace: "team-a" }, spec: { containers: [{ name: "app", image: "docker.io/app:1", securityContext: { privileged: true } }] } }),
    recorded("kubernetes:argoproj.io/v1alpha1:Application", "legacy", { metadata: { name: "legacy", namespace: "argocd" }, spec: { project: "default" } }),
    recorded("kubernetes:argoproj.io/v1alpha1:Application", "fresh", { metadata: { name: "fresh", namespace: "argocd" }, spec: { project: UNKNOWN_VALUE } }),
    recorded("kubernetes:core/v1:Secret", "token", { metadata: { name: "token", namespace: "team-a" }, stringData: { token: "x" } }),
];

/** The engine's own rule for a policy's level: its entry, else `all`, else the pack's. */
function engineLevel(id: string): string {
    const entry = (RAW as Record<string, unknown>)[id];
    if (typeof entry === "string") return entry;
    return (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel ?? RAW.all;
}

/** What the engine hands a policy's getConfig(): its entry without the level. */
function engineConfig(id: string): Record<string, unknown> {
    const entry = (RAW as Record<string, unknown>)[id];
    if (typeof entry !== "object" || entry === null) return {};
    const { enforcementLevel: _level, ...config } = entry as Record<string, unknown>;
    return config;
}

/** Runs every enabled policy as @pulumi/policy's analyzer server does: Analyze per managed resource, AnalyzeStack once. */
function throughCrossGuard(resources: RecordedResource[]): Outcome[] {
    const outcomes: Outcome[] = [];
    const previous = process.env.PULUMI_NODEJS_STACK;
    process.env.PULUMI_NODEJS_STACK = "acme/gitops-hub/dev";
    try {
        for (const rule of RULES) {
            const level = engineLevel(rule.id);
            if (level === "disabled") continue;
            const policy = policyFor(rule);
            const caught = (urn: string | null, run: () => void) => {
                try {
                    run();
                } catch (error) {
                    const unknown = error instanceof proxy.UnknownValueError;
                    outcomes.push({ policy: rule.id, urn, kind: unknown ? "unknown" : "error", level: unknown ? "advisory" : "mandatory", text: (error as Error).message });
                }
            };
            if ("validateStack" in policy) {
                const stackResources = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: proxy.unknownCheckingProxy(policyInputs(r.inputs) as object) }));
                const report = (message: string, urn?: string) => outcomes.push({ policy: rule.id, urn: urn ?? null, kind: "violation", level, text: message });
                caught(null, () => (policy as StackValidationPolicy).validateStack({ resources: stackResources, getConfig: () => engineConfig(rule.id) } as unknown as StackValidationArgs, report));
                continue;
            }
            for (const r of resources.filter((x) => !x.read)) {
                const report: ReportViolation = (message) => outcomes.push({ policy: rule.id, urn: r.urn, kind: "violation", level, text: message });
                const args = { type: r.type, name: r.name, urn: r.urn, props: proxy.unknownCheckingProxy(policyInputs(r.inputs) as object), getConfig: () => engineConfig(rule.id) };
                caught(r.urn, () => ((policy as ResourceValidationPolicy).validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void)(args as unknown as ResourceValidationArgs, report));
            }
        }
    } finally {
        if (previous === undefined) delete process.env.PULUMI_NODEJS_STACK;
        else process.env.PULUMI_NODEJS_STACK = previous;
    }
    return outcomes;
}

/** What the engine would show of one plan finding (exempted ones it does not show). */
function asEngineShows(f: PolicyFinding): Outcome {
    const kind = f.failed ? "error" : f.unknown ? "unknown" : "violation";
    const text = f.unknown ? f.message.replace(/^can't run policy '[^']*' during preview: /, "") : f.failed ? f.message : engineMessage(f);
    return { policy: f.policy, urn: f.resource?.urn ?? null, kind, level: f.enforcementLevel, text };
}

const sorted = (outcomes: Outcome[]) => outcomes.map((o) => JSON.stringify(o)).sort();

describe("one policy evaluator: CrossGuard and the plan", function () {
    this.timeout(120_000);

    it("reach the same findings over the dev stack plus resources that violate, are exempted, are unknown and make checks throw", async () => {
        const result = await runStack("dev");
        const resources = [...result.resources, ...EXTRA];
        const plan = await evaluatePolicies(planOf("dev", { resources, outputs: result.outputs }), RULES, resolvePolicyConfig(RAW, RULES), { stack: "dev" });
        const engine = throughCrossGuard(resources);

        expect(sorted(engine)).to.deep.equal(sorted(plan.filter((f) => f.exempted === undefined).map(asEngineShows)));
        // The comparison covers every kind of outcome, not an empty list.
        const kinds = (list: Outcome[]) => [...new Set(list.map((o) => `${o.kind} ${o.level}`))].sort();
        expect(kinds(engine)).to.deep.equal(["error mandatory", "unknown advisory", "violation advisory", "violation mandatory"]);
        expect(engine.filter((o) => o.kind === "error").map((o) => [o.policy, o.urn, o.text])).to.deep.equal([
            ["throws-on-secrets", EXTRA[3].urn, "check failed: this check is broken"],
            ["throws-on-stack", null, "check failed: cannot read properties of undefined (reading 'spec')"],
        ]);
        expect(plan.filter((f) => f.exempted !== undefined).map((f) => [f.policy, f.resource!.name])).to.deep.equal([["application-prevent-default-project", "legacy"]]);
    });
});
