// One offline plan: read the stack file, check its config with the project's loader, run the
// real program under the mock runtime, then tree, counts, policy findings, files and diagram.
// The CLI (scripts/plan.ts) only parses arguments and prints what this returns.
import * as fs from "fs";
import * as path from "path";
import type { Policies } from "@pulumi/policy";
import { ConfigError, parseStackConfig } from "../../../stacks/loader";
import { runProgram } from "../recorder";
import { PROJECT_ROOT, readStackFile } from "../stack-file";
import { renderMermaid } from "./diagram";
import { PlanUsageError } from "./errors";
import { renderManifests, writeManifests } from "./manifests";
import { planOf } from "./model";
import {
    PolicyConfigError, PolicyFinding, PolicySummary, blocking, evaluatePolicies, readPolicyConfig, summarize,
} from "./policies";
import { TreeNode, buildTree, countByType } from "./tree";

export const EXIT = { clean: 0, mandatoryViolation: 1, usage: 2 } as const;

export { PlanUsageError };

export interface PlanOptions {
    stack: string;
    /** Directory holding `Pulumi.<stack>.yaml`. @default the project */
    root?: string;
    /** `--policy-pack-config` file. @default policy-pack/config/<environment>.json of the project */
    policyConfig?: string;
    details?: boolean;
    /** Write manifests and chart values here. */
    out?: string;
    /** Write the Mermaid diagram here. */
    diagram?: string;
    /** The policies to evaluate. @default the pack's (policy-pack/policies.ts) */
    policies?: Policies;
}

export interface PlanReport {
    stack: string;
    environment: string;
    policyConfig: string;
    tree: TreeNode[];
    counts: { type: string; count: number }[];
    resourceCount: number;
    findings: PolicyFinding[];
    policySummary: PolicySummary;
    /** Files written, relative to `out`. */
    written?: { out: string; files: number };
    diagram?: string;
    exitCode: number;
}

export function defaultPolicyConfig(environment: string): string {
    return path.join(PROJECT_ROOT, "policy-pack", "config", `${environment}.json`);
}

function loadPolicies(): Policies {
    // Loaded when needed, so `--help` and config errors never pay for the pack.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../../../policy-pack/policies") as { policies: Policies }).policies;
}

export async function plan(options: PlanOptions): Promise<PlanReport> {
    const root = options.root ?? PROJECT_ROOT;
    let file;
    try {
        file = readStackFile(options.stack, root);
    } catch (error) {
        throw new PlanUsageError((error as Error).message);
    }
    let environment: string;
    try {
        environment = parseStackConfig({ values: file.config, secretsSet: new Set(Object.keys(file.secrets)) }).platform.environment;
    } catch (error) {
        if (error instanceof ConfigError) throw new PlanUsageError(`Pulumi.${options.stack}.yaml: ${error.message.split("\n")[0]}`, error.problems);
        throw error;
    }
    const policies = options.policies ?? loadPolicies();
    const policyFile = options.policyConfig ? path.resolve(options.policyConfig) : defaultPolicyConfig(environment);
    let policyConfig;
    try {
        policyConfig = readPolicyConfig(policyFile, policies);
    } catch (error) {
        if (error instanceof PolicyConfigError) throw new PlanUsageError(error.message, error.problems);
        throw error;
    }

    let result;
    try {
        result = await runProgram({ stack: options.stack, config: file.config, secrets: file.secrets });
    } catch (error) {
        if (error instanceof ConfigError) throw new PlanUsageError(`Pulumi.${options.stack}.yaml: ${error.message.split("\n")[0]}`, error.problems);
        throw error;
    }
    const planned = planOf(options.stack, result);
    // Resources register in an order that can vary between runs; the report must not.
    const findings = (await evaluatePolicies(planned, policies, policyConfig, { stack: options.stack })).sort((a, b) =>
        a.policy.localeCompare(b.policy) || (a.resource?.urn ?? "").localeCompare(b.resource?.urn ?? "") ||
        a.path.localeCompare(b.path) || a.message.localeCompare(b.message));

    let written: PlanReport["written"];
    if (options.out) {
        const files = renderManifests(planned);
        writeManifests(options.out, files, options.stack);
        written = { out: options.out, files: files.length };
    }
    if (options.diagram) {
        fs.mkdirSync(path.dirname(path.resolve(options.diagram)), { recursive: true });
        fs.writeFileSync(options.diagram, renderMermaid(planned));
    }
    return {
        stack: options.stack,
        environment,
        policyConfig: path.relative(PROJECT_ROOT, policyFile).startsWith("..") ? policyFile : path.relative(PROJECT_ROOT, policyFile),
        tree: buildTree(planned, options.details ?? false),
        counts: countByType(planned),
        resourceCount: planned.resources.length,
        findings,
        policySummary: summarize(findings, policyConfig),
        written,
        diagram: options.diagram,
        exitCode: blocking(findings).length > 0 ? EXIT.mandatoryViolation : EXIT.clean,
    };
}
