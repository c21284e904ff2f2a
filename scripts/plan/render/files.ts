// `--out` with `--render`: every object a chart renders, as the file helm.v4.Chart (or the Helm
// release) would apply, under `rendered/<release>/<namespace or _cluster>/<kind>-<name>.yaml`;
// hooks under `rendered/<release>/hooks/`. Secrets are masked as everywhere else.
import { RenderedFile, safe, toYaml } from "../manifests";
import { displayValue, isRecord } from "../model";
import type { StackRender } from "./model";

export function renderedFiles(render: StackRender): RenderedFile[] {
    const taken = new Map<string, number>();
    const files: RenderedFile[] = [];
    for (const { folder, record, hook } of render.files) {
        const manifest = displayValue(record.inputs) as Record<string, unknown>;
        const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
        const place = hook ? "hooks" : typeof metadata.namespace === "string" ? safe(metadata.namespace) : "_cluster";
        const wanted = `rendered/${safe(folder)}/${place}/${String(manifest.kind).toLowerCase()}-${safe(String(metadata.name ?? record.name))}.yaml`;
        const seen = taken.get(wanted) ?? 0;
        taken.set(wanted, seen + 1);
        files.push({ path: seen === 0 ? wanted : wanted.replace(/\.yaml$/, `-${seen + 1}.yaml`), content: toYaml(manifest) });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
}
