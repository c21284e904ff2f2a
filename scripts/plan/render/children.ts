// Rendered objects as the resources helm.v4.Chart registers (pulumi-kubernetes
// provider/pkg/provider/yaml/v2: Normalize, then Register): a namespaced kind without a
// namespace gets the Chart's; each object becomes `kubernetes:<group>/<version>:<Kind>` (core
// group as `core`), named `<resourcePrefix>:<namespace>/<name>` (`<resourcePrefix>:<name>` when
// cluster-scoped), parented to the Chart; a v1 Secret's `data` and `stringData` are secret; an
// object annotated `helm.sh/resource-policy: keep` is retained on delete. Release children get
// the same records so the same evaluation path can judge them; they are marked as such.
import type { RecordedResource } from "../../recorder";
import { SecretValue } from "../../recorder";
import { isRecord } from "../model";
import type { ChartInstall } from "./installs";
import { CrdScopes, isNamespaced, typeOfObject } from "./kinds";
import { RenderedObject, annotationsOf, metadataOf } from "./objects";
import { markSecrets } from "./secrets";

/** Child URN: the parent's qualified type plus the child's, e.g. `…::gitops-hub:hub:ArgoCd$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::argocd-chart:argocd/argocd-server`. */
export function childUrn(parentUrn: string, type: string, name: string): string {
    const parts = parentUrn.split("::");
    if (parts.length < 4) return `${parentUrn}$${type}::${name}`;
    return `${parts[0]}::${parts[1]}::${parts[2]}$${type}::${name}`;
}

export interface ChildRecord {
    record: RecordedResource;
    object: RenderedObject;
    /** The namespace the object lands in (its own, the Chart's default, or none). */
    namespace?: string;
    /** Scope not determinable offline (not built in, no CRD among the rendered charts). */
    scopeUnknown: boolean;
}

/** The record helm.v4.Chart would register for one rendered object (and the same shape for a release's objects). */
export function childRecord(install: ChartInstall, object: RenderedObject, crdScopes: CrdScopes, secrets: string[] = []): ChildRecord {
    // Any string carrying a secret value stays secret (the provider marks only Secret data).
    const manifest = markSecrets(structuredClone(object.manifest), secrets) as Record<string, unknown>;
    const apiVersion = String(manifest.apiVersion ?? "");
    const kind = String(manifest.kind ?? "");
    const metadata = metadataOf(manifest);
    const namespaced = isNamespaced(apiVersion, kind, crdScopes);
    if (typeof metadata.namespace !== "string" || metadata.namespace === "") {
        if (namespaced === true) manifest.metadata = { ...metadata, namespace: install.namespace };
    }
    const namespace = (manifest.metadata as Record<string, unknown> | undefined)?.namespace;
    const name = String(metadata.name ?? "");
    const type = typeOfObject(apiVersion, kind);
    const logical = `${install.resourcePrefix}:${typeof namespace === "string" ? `${namespace}/` : ""}${name}`;
    const secretPaths: string[] = [];
    if (apiVersion === "v1" && kind === "Secret") {
        for (const key of ["data", "stringData"]) {
            if (manifest[key] !== undefined) {
                manifest[key] = manifest[key] instanceof SecretValue ? manifest[key] : new SecretValue(manifest[key]);
                secretPaths.push(key);
            }
        }
    }
    const keep = annotationsOf(manifest)["helm.sh/resource-policy"] === "keep";
    const record: RecordedResource = {
        type,
        name: logical,
        urn: childUrn(install.resource.urn, type, logical),
        parent: install.resource.urn,
        custom: true,
        dependencies: [],
        protect: install.resource.protect,
        retainOnDelete: keep || install.resource.retainOnDelete,
        aliases: [],
        ignoreChanges: [],
        inputs: manifest,
        secretPaths,
    };
    return {
        record,
        object,
        namespace: typeof namespace === "string" ? namespace : undefined,
        scopeUnknown: namespaced === undefined && !(isRecord(object.manifest.metadata) && typeof object.manifest.metadata.namespace === "string"),
    };
}
