// Policy evaluation for `npm run bench`: the policy pack's evaluator (policy-pack/evaluate.ts,
// which CrossGuard and the plan call too) over every recorded resource of a stack, with the pack
// config of the stack's environment, timed. When the pack's evaluator is absent the bench says
// so instead of timing something else.
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { RecordedResource, policyInputs } from "../recorder";
import { PROJECT_ROOT } from "../stack-file";

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
type PackEvaluation = Pick<typeof import("../../policy-pack/evaluate"), "resolvePackConfig" | "evaluate" | "blocking">;

export function evaluatePolicies(resources: RecordedResource[], environment: string): PolicyEvaluation {
    const relative = (file: string) => path.relative(PROJECT_ROOT, file);
    if (!fs.existsSync(EVALUATE_MODULE)) return { available: false, reason: `${relative(EVALUATE_MODULE)} missing` };
    const configFile = path.join(PROJECT_ROOT, "policy-pack", "config", `${environment}.json`);
    if (!fs.existsSync(configFile)) return { available: false, reason: `${relative(configFile)} missing` };
    const pack = require(EVALUATE_MODULE) as PackEvaluation;
    const config = pack.resolvePackConfig(JSON.parse(fs.readFileSync(configFile, "utf8")), { source: relative(configFile) });

    // Handing the recording over as the analyzer would is the recorder's business, not the pack's: untimed.
    const inputs = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: policyInputs(r.inputs) as Record<string, unknown>, resourcePolicies: !r.read }));
    const start = performance.now();
    const findings = pack.evaluate(inputs, config, { environment });
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
