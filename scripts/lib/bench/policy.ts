// Policy evaluation for `npm run bench`: the policy pack's own evaluation (policy-pack/evaluate.ts,
// which the CrossGuard policies in policies.ts wrap) over every recorded resource of a stack,
// with the pack config of the stack's environment, timed. When the pack's evaluation is absent
// the bench says so instead of timing something else.
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { RecordedResource, SecretValue, UNKNOWN_VALUE } from "../recorder";
import { PROJECT_ROOT } from "../stack-file";

export const POLICIES_MODULE = path.join(PROJECT_ROOT, "policy-pack", "policies.ts");
export const EVALUATE_MODULE = path.join(PROJECT_ROOT, "policy-pack", "evaluate.ts");

export type PolicyEvaluation =
    | { available: false; reason: string }
    | {
        available: true;
        /** Resources evaluated (every recorded one). */
        resources: number;
        /** Pack config used, relative to the project. */
        config: string;
        ms: number;
        resourcesPerSecond: number;
        /** Findings of every policy together, exempted ones included. */
        findings: number;
        /** Findings that would block a deployment (mandatory, not exempted). */
        blocking: number;
    };

/** What the bench uses of policy-pack/evaluate.ts. */
interface PackEvaluation {
    evaluateResource(type: string, name: string, props: Record<string, unknown>, config?: unknown, options?: { environment?: string }): unknown[];
    evaluateStack(resources: { type: string; name: string; urn?: string; props: Record<string, unknown> }[], config?: unknown, options?: { environment?: string }): unknown[];
    blocking(findings: unknown[]): unknown[];
}

// Pulumi's wire markers, which the pack's evaluation reads (as the mock runtime hands inputs over).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A recorded input back in wire form: secrets as secret markers, unknowns as the unknown sentinel. */
export function wireProps(value: unknown): unknown {
    if (value instanceof SecretValue) return { [SIG_KEY]: SECRET_SIG, value: wireProps(value.value) };
    if (value === UNKNOWN_VALUE) return UNKNOWN;
    if (Array.isArray(value)) return value.map(wireProps);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = wireProps(v);
        return out;
    }
    return value;
}

export function evaluatePolicies(resources: RecordedResource[], environment: string): PolicyEvaluation {
    const relative = (file: string) => path.relative(PROJECT_ROOT, file);
    for (const module of [POLICIES_MODULE, EVALUATE_MODULE]) {
        if (!fs.existsSync(module)) return { available: false, reason: `${relative(module)} missing` };
    }
    const configFile = path.join(PROJECT_ROOT, "policy-pack", "config", `${environment}.json`);
    if (!fs.existsSync(configFile)) return { available: false, reason: `${relative(configFile)} missing` };
    const pack = require(EVALUATE_MODULE) as PackEvaluation;
    const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as unknown;

    // Converting the recording back to wire form is the recorder's business, not the pack's: untimed.
    const inputs = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: wireProps(r.inputs) as Record<string, unknown> }));
    const options = { environment };
    const start = performance.now();
    const findings: unknown[] = [];
    for (const r of inputs) findings.push(...pack.evaluateResource(r.type, r.name, r.props, config, options));
    findings.push(...pack.evaluateStack(inputs, config, options));
    const ms = performance.now() - start;
    return {
        available: true,
        resources: resources.length,
        config: relative(configFile),
        ms,
        resourcesPerSecond: resources.length / (ms / 1000),
        findings: findings.length,
        blocking: pack.blocking(findings).length,
    };
}
