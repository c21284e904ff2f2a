// Judges one object as the API server would: the checks beyond schemas (api-checks.ts), built-in
// kinds against the upstream schemas, custom resources against the CRDs the charts render.
import { viewOf } from "../../recorder";
import { apiServerIssues } from "./api-checks";
import { CrdIndex, UNKNOWN_SENTINEL } from "./crds";
import { groupOf, isBuiltInGroup } from "./kinds";
import type { RenderProblem } from "./model";
import { validateBuiltIn } from "./upstream-schemas";

/**
 * Custom resource groups this program uses whose CRDs are a prerequisite of the cluster rather
 * than part of any chart it installs; their resources are reported as not validated, with why.
 */
export const CLUSTER_PREREQUISITES: Record<string, string> = {
    "gateway.networking.k8s.io": "the Gateway API CRDs (experimental channel, for TLSRoute) are a prerequisite of the hub cluster; no chart of this stack installs them",
};

/** A value as the API server receives it: secrets are plain, unknowns a sentinel errors are not reported on. */
export function asSent(value: unknown): unknown {
    return viewOf(value, { unknown: UNKNOWN_SENTINEL });
}

/**
 * The object as the API server decodes it: a null is the same as an absent field (Go's zero
 * value; a structural schema prunes it unless `nullable`), so it is dropped before validation.
 */
export function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
    }
    return value;
}

export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN_SENTINEL) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

export interface JudgeContext {
    crds: CrdIndex;
    /** Logical names of charts that did not render (their CRDs are unknown). */
    failedCharts: string[];
}

/** Problems with a custom resource, judged by its CRD (or the absence of one). */
export function customResourceProblems(manifest: Record<string, unknown>, subject: string, context: JudgeContext): { problems: RenderProblem[]; validated: boolean; celRules?: number } {
    const apiVersion = String(manifest.apiVersion ?? "");
    const kind = String(manifest.kind ?? "");
    const result = context.crds.validate(manifest);
    const base = { subject };
    switch (result.status) {
        case "no-crd": {
            const group = groupOf(apiVersion);
            const prerequisite = CLUSTER_PREREQUISITES[group];
            if (prerequisite) return { validated: false, problems: [{ ...base, level: "note", kind: "crd-missing", path: "", message: `not validated: ${prerequisite}` }] };
            const failed = context.failedCharts.length > 0 ? ` (not rendered, so not searched: ${context.failedCharts.join(", ")})` : "";
            return {
                validated: false,
                problems: [{ ...base, level: "warning", kind: "crd-missing", path: "", message: `not validated: no rendered chart installs a CRD for ${kind}.${group}${failed}; the CRD must exist before this resource is created` }],
            };
        }
        case "version-not-served":
            return { validated: false, problems: [{ ...base, level: "error", kind: "invalid", path: "apiVersion", message: `CRD ${result.crd.name} (installed by ${result.crd.installedBy}) does not serve ${apiVersion}; it serves ${result.served.map((v) => `${result.crd.group}/${v}`).join(", ") || "no version"}` }] };
        case "no-schema":
            return { validated: false, problems: [{ ...base, level: "note", kind: "note", path: "", message: `not validated: CRD ${result.crd.name} declares no openAPIV3Schema for ${apiVersion}` }] };
        case "validated":
            return {
                validated: true,
                celRules: result.celRules,
                problems: [
                    ...result.invalid.map((i) => ({ ...base, level: "error" as const, kind: "invalid" as const, path: i.path, message: `${i.message} (CRD ${result.crd.name} from ${result.crd.installedBy})` })),
                    ...result.unknownFields.map((field) => ({ ...base, level: "error" as const, kind: "unknown-field" as const, path: field, message: `unknown field: CRD ${result.crd.name} (from ${result.crd.installedBy}) does not declare it, so the API server drops it silently` })),
                ],
            };
    }
}

/** Every problem with one object about to be sent to the API server (values as asSent makes them). */
export async function objectProblems(sent: Record<string, unknown>, subject: string, source: string | undefined, context: JudgeContext): Promise<{ problems: RenderProblem[]; schemaChecked: boolean; celRules?: { kind: string; count: number } }> {
    const at = source ? { subject, source } : { subject };
    const problems: RenderProblem[] = [];
    const manifest = withoutNulls(sent) as Record<string, unknown>;
    // Fields unknown until deployment cannot be judged; names and labels with one are skipped.
    const metadataKnown = !containsUnknown(manifest.metadata);
    for (const issue of apiServerIssues(manifest)) {
        if (!metadataKnown && issue.path.startsWith("metadata")) continue;
        if (issue.message.includes("\\u0000")) continue;
        problems.push({ ...at, level: issue.level, kind: issue.level === "error" ? "invalid" : "warning", path: issue.path, message: issue.message });
    }
    if (isBuiltInGroup(groupOf(String(manifest.apiVersion ?? "")))) {
        const upstream = await validateBuiltIn(manifest);
        if (!upstream.validated) return { problems, schemaChecked: false };
        for (const e of upstream.errors) problems.push({ ...at, level: "error", kind: "invalid", path: e.path, message: `${e.message} (upstream schema)` });
        return { problems, schemaChecked: true };
    }
    const custom = customResourceProblems(manifest, subject, context);
    problems.push(...custom.problems.map((p) => ({ ...p, ...(source ? { source } : {}) })));
    const celRules = custom.celRules ? { kind: `${String(manifest.kind)}.${groupOf(String(manifest.apiVersion))}`, count: custom.celRules } : undefined;
    return { problems, schemaChecked: custom.validated, ...(celRules ? { celRules } : {}) };
}
