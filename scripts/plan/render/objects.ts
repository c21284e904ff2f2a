// What `helm template` printed, as objects: each with the template it came from (helm's
// `# Source:` line) and, for hooks, its `helm.sh/hook` annotation. YAML is read with 1.1
// semantics, as the provider's decoder (sigs.k8s.io/yaml) does, so `defaultMode: 0644` is 420.
import { parseAllDocuments } from "yaml";
import { isRecord } from "../model";

export interface RenderedObject {
    manifest: Record<string, unknown>;
    /** Template path as helm reports it, e.g. `vault/templates/server-statefulset.yaml`. */
    source: string;
    /** The `helm.sh/hook` annotation (e.g. `pre-delete`, `test`), when the object is a hook. */
    hook?: string;
}

export const HOOK_ANNOTATION = "helm.sh/hook";

export function metadataOf(manifest: Record<string, unknown>): Record<string, unknown> {
    return isRecord(manifest.metadata) ? manifest.metadata : {};
}

export function annotationsOf(manifest: Record<string, unknown>): Record<string, unknown> {
    const annotations = metadataOf(manifest).annotations;
    return isRecord(annotations) ? annotations : {};
}

/** `apps/v1 StatefulSet vault/vault`, `v1 Namespace argocd`: how the report names an object. */
export function describeObject(manifest: Record<string, unknown>): string {
    const metadata = metadataOf(manifest);
    const name = typeof metadata.name === "string" ? metadata.name : "(no name)";
    const namespace = typeof metadata.namespace === "string" ? `${metadata.namespace}/` : "";
    return `${String(manifest.apiVersion ?? "(no apiVersion)")} ${String(manifest.kind ?? "(no kind)")} ${namespace}${name}`;
}

/** Parses helm's output; YAML that does not parse is returned as errors (the provider would fail on it too). */
export function parseRendered(text: string): { objects: RenderedObject[]; errors: string[] } {
    const objects: RenderedObject[] = [];
    const errors: string[] = [];
    for (const doc of parseAllDocuments(text, { version: "1.1" })) {
        // helm writes `# Source: <template>` right after `---`: the comment of the document's contents.
        const comments = `${doc.commentBefore ?? ""}\n${(doc.contents as { commentBefore?: string } | null)?.commentBefore ?? ""}`;
        const source = /Source:\s*(\S+)/.exec(comments)?.[1] ?? "(unknown template)";
        if (doc.errors.length > 0) {
            errors.push(`${source}: ${doc.errors[0].message.split("\n")[0]}`);
            continue;
        }
        const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
        if (value === null || value === undefined) continue;
        if (!isRecord(value)) {
            errors.push(`${source}: a document that is not a Kubernetes object (${Array.isArray(value) ? "a list" : typeof value})`);
            continue;
        }
        if (Object.keys(value).length === 0) continue;
        // List kinds are expanded into their items, as the provider and the API server do.
        const items = typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items) ? value.items.filter(isRecord) : [value];
        for (const manifest of items) {
            const hook = annotationsOf(manifest)[HOOK_ANNOTATION];
            objects.push({ manifest, source, ...(typeof hook === "string" ? { hook } : {}) });
        }
    }
    return { objects, errors };
}
