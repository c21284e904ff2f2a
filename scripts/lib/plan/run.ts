// One offline plan: read the stack file, check its config with the project's loader, run the
// real program under the mock runtime, then tree, counts, policy findings, files and diagram.
// The CLI (scripts/plan.ts) only parses arguments and prints what this returns.
import * as fs from "fs";
import * as path from "path";
import type { Policies } from "@pulumi/policy";
import { ConfigError, RawStackConfig, parseStackConfig, shardHubStack } from "../../../stacks/loader";
import { runProgram } from "../recorder";
import { renderedFiles } from "../render/files";
import { StackRender, renderBlocks } from "../render/model";
import { RenderOptions, renderStack } from "../render/stack";
import { PROJECT_ROOT, readStackFile } from "../stack-file";
import { renderMermaid } from "./diagram";
import { PlanUsageError } from "./errors";
import { renderManifests, writeManifests } from "./manifests";
import { Plan, planOf } from "./model";
import {
    EffectivePolicyConfig, PolicyConfigError, PolicyFinding, PolicySummary, blocking, evaluatePolicies, exemptionsApplied, readPolicyConfig, summarize,
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
    /** `--render`: render every chart with real Helm and judge what it deploys. @default - charts stay opaque */
    render?: RenderOptions;
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
    /** With `--render`: what every chart renders and what is wrong with it. */
    render?: StackRender;
    /** Distinct exemptions (policy and reason) that covered at least one finding. */
    exemptionsApplied: number;
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

/** ConfigError (from the loader or the program) → usage error listing its problems. */
async function asUsage<T>(stack: string, work: () => Promise<T> | T): Promise<T> {
    try {
        return await work();
    } catch (error) {
        if (error instanceof ConfigError) throw new PlanUsageError(`Pulumi.${stack}.yaml: ${error.message.split("\n")[0]}`, error.problems);
        throw error;
    }
}

/**
 * The stack's environment, and for a tenant shard (`gitops-hub:hubStack`) the hub's outputs its
 * StackReference reads: the hub stack (`org/project/<stack>` → Pulumi.<stack>.yaml beside it) is
 * run first, offline like everything else.
 */
async function configOf(stack: string, raw: RawStackConfig, root: string): Promise<{ environment: string; stackReferences?: Record<string, Record<string, unknown>> }> {
    const hubStack = await asUsage(stack, () => shardHubStack(raw));
    if (hubStack === undefined) {
        return { environment: (await asUsage(stack, () => parseStackConfig(raw))).platform.environment };
    }
    const hubName = hubStack.split("/").pop()!;
    let hubFile;
    try {
        hubFile = readStackFile(hubName, root);
    } catch (error) {
        throw new PlanUsageError(`Pulumi.${stack}.yaml: gitops-hub:hubStack "${hubStack}" is planned from Pulumi.${hubName}.yaml, which is missing: ${(error as Error).message}`);
    }
    const hub = await asUsage(hubName, () => runProgram({ stack: hubName, config: hubFile.config, secrets: hubFile.secrets }));
    const environment = hub.outputs.environment;
    if (typeof environment !== "string") throw new PlanUsageError(`Pulumi.${hubName}.yaml is not a hub stack: it exports no environment`);
    return { environment, stackReferences: { [hubStack]: hub.outputs } };
}

/**
 * The policy pack over what `pulumi preview --policy-pack` would see: the program's resources
 * and, with a render, every object helm.v4.Chart registers (plus, marked and hidden from stack
 * policies, a Helm release's objects), each finding on a chart object marked with its chart.
 * Sorted, since resources register in an order that can vary between runs.
 */
export async function judgeStack(planned: Plan, render: StackRender | undefined, policies: Policies, config: EffectivePolicyConfig, stack: string): Promise<PolicyFinding[]> {
    const judged = render ? planOf(stack, { resources: [...planned.resources, ...render.children], outputs: planned.outputs }) : planned;
    const findings = (await evaluatePolicies(judged, policies, config, { stack, outsideStack: render?.releaseObjects })).sort((a, b) =>
        a.policy.localeCompare(b.policy) || (a.resource?.urn ?? "").localeCompare(b.resource?.urn ?? "") ||
        a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
    if (render) {
        const children = new Set(render.children.map((c) => c.urn));
        for (const f of findings) {
            const child = f.resource && children.has(f.resource.urn) ? judged.byUrn.get(f.resource.urn) : undefined;
            const chart = child?.parent ? judged.byUrn.get(child.parent) : undefined;
            if (chart) f.renderedBy = { chart: chart.name, releaseObject: render.releaseObjects.has(child!.urn) };
        }
    }
    return findings;
}

export async function plan(options: PlanOptions): Promise<PlanReport> {
    const root = options.root ?? PROJECT_ROOT;
    let file;
    try {
        file = readStackFile(options.stack, root);
    } catch (error) {
        throw new PlanUsageError((error as Error).message);
    }
    const raw = { values: file.config, secretsSet: new Set(Object.keys(file.secrets)) };
    const { environment, stackReferences } = await configOf(options.stack, raw, root);
    const policies = options.policies ?? loadPolicies();
    const policyFile = options.policyConfig ? path.resolve(options.policyConfig) : defaultPolicyConfig(environment);
    let policyConfig;
    try {
        policyConfig = readPolicyConfig(policyFile, policies);
    } catch (error) {
        if (error instanceof PolicyConfigError) throw new PlanUsageError(error.message, error.problems);
        throw error;
    }

    const result = await asUsage(options.stack, () => runProgram({ stack: options.stack, config: file.config, secrets: file.secrets, stackReferences }));
    const planned = planOf(options.stack, result);
    const render = options.render ? await renderStack(planned, options.render) : undefined;
    const findings = await judgeStack(planned, render, policies, policyConfig, options.stack);

    let written: PlanReport["written"];
    if (options.out) {
        const files = [...renderManifests(planned), ...(render ? renderedFiles(render) : [])];
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
        render,
        exemptionsApplied: exemptionsApplied(findings),
        exitCode: blocking(findings).length > 0 || (render !== undefined && renderBlocks(render)) ? EXIT.mandatoryViolation : EXIT.clean,
    };
}
