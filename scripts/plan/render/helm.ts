// The real helm binary: where it is, whether it is the pinned line, and `helm template` /
// `helm show chart` as plain functions. Nothing here knows about Pulumi; installs.ts decides
// what to render and how the provider would pass it.
import { execFile } from "child_process";
import * as fs from "fs";
import { promisify } from "util";
import { parse } from "yaml";
import { TOOLS } from "../../../components/versions";
import { findTool, installHint, toolEnvVar } from "../../tools/main";
import { PlanUsageError } from "../errors";

const run = promisify(execFile);
/** Rendered charts run to a few MiB (kyverno's CRDs alone ~3 MiB). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export interface HelmBinary {
    path: string;
    /** What the binary reports, e.g. `v3.19.0`, or `v3.19` for a `go build` without Helm's release flags. */
    version: string;
    /** The pinned version (components/versions.ts TOOLS.helm). */
    pinned: string;
    /** Set when the binary is not exactly the pinned version but may be used. */
    warning?: string;
}

const VERSION = /^v(\d+)\.(\d+)(?:\.(\d+))?/;

/**
 * Judges a helm version string against the pinned one: another major line is refused (the
 * Kubernetes provider embeds Helm 3), another minor or patch is allowed with a warning.
 */
export function judgeHelmVersion(reported: string, pinned: string = TOOLS.helm.version, binary = "helm"): { warning?: string } {
    const have = VERSION.exec(reported);
    const want = VERSION.exec(pinned)!;
    if (!have) throw new PlanUsageError(`${binary} reports version "${reported}", which is not a Helm version; plan --render needs Helm ${pinned} (components/versions.ts TOOLS.helm)`, [installHint("helm")]);
    if (have[1] !== want[1]) {
        throw new PlanUsageError(
            `${binary} is Helm ${reported}; plan --render needs the Helm ${want[1]} line the Kubernetes provider embeds (pinned ${pinned} in components/versions.ts TOOLS.helm)`,
            [installHint("helm")],
        );
    }
    if (have[2] === want[2] && have[3] === undefined) {
        return { warning: `${binary} reports ${reported} without a patch version (a \`go build\` without Helm's release flags); pinned ${pinned}` };
    }
    if (have[2] !== want[2] || have[3] !== want[3]) {
        return { warning: `${binary} is Helm ${reported}, not the pinned ${pinned} (components/versions.ts TOOLS.helm); rendering may differ from what the provider's embedded Helm does` };
    }
    return {};
}

/** Finds helm (HELM, then `.tools/`, then PATH), asks its version and judges it. */
export async function locateHelm(explicit?: string): Promise<HelmBinary> {
    const found = explicit ?? findTool("helm");
    if (!found) throw new PlanUsageError("plan --render needs helm", [installHint("helm")]);
    if (!fs.existsSync(found)) {
        throw new PlanUsageError(`helm not found at ${found}${process.env[toolEnvVar("helm")] === found ? ` (from ${toolEnvVar("helm")})` : ""}`, [installHint("helm")]);
    }
    let version: string;
    try {
        version = (await run(found, ["version", "--template", "{{.Version}}"], { encoding: "utf8" })).stdout.trim();
    } catch (error) {
        throw new PlanUsageError(`${found} version failed: ${(error as Error).message.split("\n")[0]}`, [installHint("helm")]);
    }
    return { path: found, version, pinned: TOOLS.helm.version, ...judgeHelmVersion(version, TOOLS.helm.version, found) };
}

export interface TemplateRequest {
    release: string;
    namespace: string;
    /** A chart directory, a .tgz, or a chart name with `repo`. */
    chart: string;
    version?: string;
    repo?: string;
    /** Written to a private temporary file for the call, then removed. */
    valuesFile: string;
    includeCrds: boolean;
    kubeVersion: string;
}

export type TemplateResult = { ok: true; manifest: string } | { ok: false; stderr: string };

/** `helm template`, as helm.v4.Chart drives it (client-only, hooks printed so they can be told apart). */
export async function helmTemplate(helm: string, request: TemplateRequest): Promise<TemplateResult> {
    const args = ["template", request.release, request.chart, "--namespace", request.namespace, "--values", request.valuesFile, "--kube-version", request.kubeVersion];
    if (request.includeCrds) args.push("--include-crds");
    if (request.repo) args.push("--repo", request.repo);
    if (request.version && request.repo) args.push("--version", request.version);
    if (request.version && request.chart.startsWith("oci://")) args.push("--version", request.version);
    try {
        const { stdout } = await run(helm, args, { encoding: "utf8", maxBuffer: MAX_OUTPUT_BYTES });
        return { ok: true, manifest: stdout };
    } catch (error) {
        const stderr = (error as { stderr?: string }).stderr;
        return { ok: false, stderr: (stderr && stderr.trim()) || (error as Error).message };
    }
}

/** Name and version of a packaged or unpacked chart (`helm show chart`). */
export async function chartMetadata(helm: string, chart: string): Promise<{ name?: string; version?: string }> {
    const { stdout } = await run(helm, ["show", "chart", chart], { encoding: "utf8", maxBuffer: MAX_OUTPUT_BYTES });
    const doc = (parse(stdout) ?? {}) as Record<string, unknown>;
    return { name: typeof doc.name === "string" ? doc.name : undefined, version: doc.version === undefined ? undefined : String(doc.version) };
}

export interface SchemaFailure {
    /** The chart or subchart whose values.schema.json refused the values. */
    chart: string;
    /** JSON pointer into the values as helm prints it, e.g. `/cainjector` (`` for the root). */
    at: string;
    message: string;
}

/**
 * Helm's values-schema error (`values don't meet the specifications of the schema(s) in the
 * following chart(s):` then `<chart>:` and `- at '<pointer>': <message>` lines) as data; empty
 * when the error is another one.
 */
export function parseSchemaFailure(stderr: string): SchemaFailure[] {
    if (!stderr.includes("values don't meet the specifications of the schema")) return [];
    const failures: SchemaFailure[] = [];
    let chart = "";
    for (const line of stderr.split("\n")) {
        const heading = /^([A-Za-z0-9][A-Za-z0-9._-]*):\s*$/.exec(line.trim());
        if (heading && !line.startsWith("-")) {
            chart = heading[1];
            continue;
        }
        const item = /^- at '([^']*)': (.*)$/.exec(line.trim());
        if (item) failures.push({ chart, at: item[1], message: item[2] });
        else if (/^- /.test(line.trim())) failures.push({ chart, at: "", message: line.trim().slice(2) });
    }
    return failures;
}
