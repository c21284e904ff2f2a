// Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went: self time per
// function and per package (node_modules/<package>, or the project file), largest first.
import * as fs from "fs";
import * as path from "path";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

export interface ProfileLine {
    /** `function (file:line)` or a package name. */
    where: string;
    selfMs: number;
    share: number;
}

export interface ProfileSummary {
    totalMs: number;
    byFunction: ProfileLine[];
    byPackage: ProfileLine[];
}

/** Self time per function and per package of one `.cpuprofile` file. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
    const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
    const functions = new Map<string, number>();
    const packages = new Map<string, number>();
    for (const [id, us] of selfUs) {
        const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
        const file = url.replace(/^file:\/\//, "");
        const fn = `${functionName || "(anonymous)"}${file ? ` (${shorten(file)}:${lineNumber + 1})` : ""}`;
        functions.set(fn, (functions.get(fn) ?? 0) + us);
        const pkg = packageOf(file, functionName);
        packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    }
    const lines = (m: Map<string, number>) => [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([where, us]) => ({ where, selfMs: us / 1000, share: totalUs === 0 ? 0 : us / totalUs }));
    return { totalMs: totalUs / 1000, byFunction: lines(functions), byPackage: lines(packages) };
}

function packageOf(file: string, functionName: string): string {
    if (!file) return functionName.startsWith("(") ? functionName : "(native)";
    const nm = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (nm >= 0) {
        const parts = file.slice(nm + 14).split(path.sep);
        return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
    }
    if (file.startsWith("node:")) return "(node)";
    return shorten(file);
}

function shorten(file: string): string {
    const nm = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (nm >= 0) return file.slice(nm + 14);
    return path.relative(process.cwd(), file) || file;
}

/** The summary as text, one line per entry. */
export function formatProfile(summary: ProfileSummary): string {
    const line = (l: ProfileLine) => `  ${(l.share * 100).toFixed(1).padStart(5)}%  ${(l.selfMs / 1000).toFixed(2).padStart(7)} s  ${l.where}`;
    return [
        `CPU profile: ${(summary.totalMs / 1000).toFixed(2)} s sampled`,
        "self time by package:",
        ...summary.byPackage.map(line),
        "self time by function:",
        ...summary.byFunction.map(line),
    ].join("\n");
}

if (require.main === module) {
    for (const file of process.argv.slice(2)) console.log(formatProfile(summarizeProfile(file)));
}
