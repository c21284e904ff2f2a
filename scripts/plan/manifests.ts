// Everything the plan would apply, as files: one YAML file per Kubernetes object
// (`<namespace or _cluster>/<kind>-<name>.yaml`), every chart's values
// (`charts/<release>-values.yaml`, cert-manager's too), every Vault object Pulumi configures
// (`vault/<kind>-<path or name>.yaml`: mounts, policies with their HCL, auth backends and roles),
// with `--render` every object the charts render (`rendered/<release>/…`), and the runtime Kyverno
// ClusterPolicies the program exposes (`kyverno/…`). Keys are sorted (apiVersion, kind, metadata first) and secrets masked, so two
// runs of the same commit write byte-identical trees.
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import type { RecordedResource } from "../recorder";
import { PlanUsageError } from "./errors";
import { chartInstalls } from "./render/installs";
import { Plan, displayValue, isRecord, manifestOf, vaultObject } from "./model";

/** Marks a directory as written by the planner, so a later run may replace it wholesale. */
export const MARKER = ".gitops-hub-plan";

export interface RenderedFile {
    /** Path relative to the output directory, `/`-separated. */
    path: string;
    content: string;
}

const FIRST_KEYS = ["apiVersion", "kind", "metadata"];

/** Sorted keys, with a manifest's apiVersion/kind/metadata first. */
function canonical(value: unknown, top = false): unknown {
    if (Array.isArray(value)) return value.map((v) => canonical(v));
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        const keys = Object.keys(obj).sort();
        const ordered = top ? [...FIRST_KEYS.filter((k) => k in obj), ...keys.filter((k) => !FIRST_KEYS.includes(k))] : keys;
        return Object.fromEntries(ordered.map((k) => [k, canonical(obj[k])]));
    }
    return value;
}

export function toYaml(value: unknown, top = true): string {
    return stringify(canonical(value, top), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** File-name-safe form of a Kubernetes name or release name. */
export function safe(name: string): string {
    return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

function objectPath(manifest: Record<string, unknown>, resource: RecordedResource): string {
    const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "_cluster";
    const name = typeof metadata.name === "string" ? metadata.name : resource.name;
    return `${safe(namespace)}/${String(manifest.kind).toLowerCase()}-${safe(name)}.yaml`;
}

/** Every file `--out` writes, sorted by path. */
export function renderManifests(plan: Plan): RenderedFile[] {
    const files: RenderedFile[] = [];
    const taken = new Map<string, number>();
    const claim = (wanted: string): string => {
        const seen = taken.get(wanted) ?? 0;
        taken.set(wanted, seen + 1);
        return seen === 0 ? wanted : wanted.replace(/\.yaml$/, `-${seen + 1}.yaml`);
    };
    // Claim paths in URN order, so a (rare) name clash resolves the same way on every run.
    const resources = [...plan.resources].sort((a, b) => a.urn.localeCompare(b.urn));
    for (const resource of resources) {
        const manifest = manifestOf(resource);
        if (!manifest) continue;
        const shown = displayValue(manifest) as Record<string, unknown>;
        files.push({ path: claim(objectPath(shown, resource)), content: toYaml(shown) });
    }
    // Every chart install, cert-manager's included (its values are its own inputs but helmOptions).
    for (const install of chartInstalls(plan)) {
        files.push({ path: claim(`charts/${safe(install.release)}-values.yaml`), content: toYaml(displayValue(install.values), false) });
    }
    for (const resource of resources) {
        const object = vaultObject(resource);
        if (!object) continue;
        const header = `# ${resource.type} ${resource.name}\n`;
        files.push({ path: claim(`vault/${object.kind.toLowerCase()}-${safe(object.id)}.yaml`), content: header + toYaml(displayValue(resource.inputs), false) });
    }
    for (const policy of exposedClusterPolicies(plan.outputs)) {
        files.push({ path: claim(`kyverno/clusterpolicy-${safe(String((policy.metadata as Record<string, unknown>).name))}.yaml`), content: toYaml(displayValue(policy)) });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Kyverno ClusterPolicies found among the program's exports (any depth), for spokes and hub. */
export function exposedClusterPolicies(outputs: Record<string, unknown>): Record<string, unknown>[] {
    const found: Record<string, unknown>[] = [];
    const walk = (value: unknown, depth: number) => {
        if (depth > 6) return;
        if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
        else if (isRecord(value)) {
            if (value.kind === "ClusterPolicy" && typeof value.apiVersion === "string" && value.apiVersion.startsWith("kyverno.io/") && typeof (value.metadata as Record<string, unknown> | undefined)?.name === "string") {
                found.push(value);
                return;
            }
            for (const key of Object.keys(value).sort()) walk(value[key], depth + 1);
        }
    };
    walk(outputs, 0);
    return found;
}

/**
 * Writes the files into `dir`. An existing directory is replaced only if an earlier plan wrote it
 * (it holds the marker); anything else is refused rather than mixed with stale or foreign files.
 */
export function writeManifests(dir: string, files: RenderedFile[], stack: string): void {
    if (fs.existsSync(dir)) {
        const entries = fs.readdirSync(dir);
        if (entries.length > 0 && !entries.includes(MARKER)) {
            throw new PlanUsageError(`--out ${dir} exists and was not written by the planner (no ${MARKER}); choose an empty or new directory`);
        }
        fs.rmSync(dir, { recursive: true, force: true });
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, MARKER), `Written by \`npm run plan -- --stack ${stack} --out …\`; replaced wholesale on the next run.\n`);
    for (const file of files) {
        const target = path.join(dir, ...file.path.split("/"));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.content);
    }
}

