// Where each chart comes from: its repository (helm downloads it by repo and exact version), or,
// with `--charts DIR`, a local mirror for air-gapped use holding per chart `<chart>-<version>.tgz`
// (as `helm pull` writes it) or an unpacked `<chart>-<version>/` with its subcharts in `charts/`.
// Every missing or mismatched chart is found before anything renders, and each is named with the
// `helm pull` command that fetches it.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PlanUsageError } from "../errors";
import { chartMetadata } from "./helm";
import type { ChartInstall } from "./installs";

export interface ChartSource {
    /** What `helm template` gets as its chart argument. */
    chart: string;
    /** Set when helm downloads the chart itself. */
    repo?: string;
    version?: string;
    /** For the report: the mirror file or directory, or `<repo> (downloaded by helm)`. */
    describe: string;
}

/** `argo-cd`, `oci://ghcr.io/acme/charts/foo` → `foo`. */
export function chartBaseName(chart: string): string {
    return chart.replace(/\/+$/, "").split("/").pop() ?? chart;
}

const isLocalPath = (chart: string) => chart.startsWith(".") || chart.startsWith("/");

/** The command that puts a chart into the mirror, e.g. `helm pull argo-cd --repo https://… --version 9.1.0 --destination DIR`. */
export function pullCommand(install: Pick<ChartInstall, "chart" | "repo" | "version">, destination?: string): string {
    const parts = ["helm", "pull", install.chart];
    if (!install.chart.startsWith("oci://") && install.repo) parts.push("--repo", install.repo);
    if (install.version) parts.push("--version", install.version);
    if (destination) parts.push("--destination", destination);
    return parts.join(" ");
}

function unpackedMetadata(dir: string): { name?: string; version?: string } {
    const doc = (parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) ?? {}) as Record<string, unknown>;
    return { name: typeof doc.name === "string" ? doc.name : undefined, version: doc.version === undefined ? undefined : String(doc.version) };
}

/**
 * The source of every install, or one usage error listing every chart the mirror lacks or holds
 * in another version (with the `helm pull` command for each).
 */
export async function resolveSources(installs: ChartInstall[], helm: string, mirror?: string): Promise<Map<ChartInstall, ChartSource>> {
    const sources = new Map<ChartInstall, ChartSource>();
    const problems: string[] = [];
    if (mirror !== undefined && !fs.existsSync(mirror)) throw new PlanUsageError(`--charts ${mirror} does not exist; create it and fill it with \`helm pull\` (see the README's air-gapped section)`);
    if (mirror !== undefined && !fs.statSync(mirror).isDirectory()) throw new PlanUsageError(`--charts ${mirror} is not a directory`);
    const unpinned = installs.filter((i) => !i.version && !isLocalPath(i.chart));
    if (unpinned.length > 0) {
        throw new PlanUsageError("every chart needs an exact version to be rendered", unpinned.map((i) => `${i.resource.type} ${i.resource.name}: chart "${i.chart}" has no version; pin it in components/versions.ts`));
    }
    // Tenants share a chart: each chart and version is looked up (and reported) once.
    const byChart = new Map<string, ChartInstall[]>();
    for (const install of installs) {
        if (isLocalPath(install.chart)) {
            sources.set(install, { chart: install.chart, describe: install.chart });
            continue;
        }
        if (mirror === undefined) {
            sources.set(install, install.chart.startsWith("oci://")
                ? { chart: install.chart, version: install.version, describe: `${install.chart} (downloaded by helm)` }
                : { chart: install.chart, repo: install.repo, version: install.version, describe: `${install.repo ?? "(no repository)"} (downloaded by helm)` });
            continue;
        }
        const key = `${chartBaseName(install.chart)}-${install.version}`;
        byChart.set(key, [...(byChart.get(key) ?? []), install]);
    }
    for (const [base, group] of byChart) {
        const install = group[0];
        const users = group.map((i) => i.resource.name).join(", ");
        const tgz = path.join(mirror!, `${base}.tgz`);
        const dir = path.join(mirror!, base);
        const fix = pullCommand(install, mirror);
        const found = fs.existsSync(tgz) ? tgz : fs.existsSync(path.join(dir, "Chart.yaml")) ? dir : undefined;
        if (!found) {
            problems.push(`${chartBaseName(install.chart)} ${install.version} (${users}): neither ${base}.tgz nor ${base}/ is in ${mirror}; fetch it with: ${fix}`);
            continue;
        }
        let metadata: { name?: string; version?: string };
        try {
            metadata = found === tgz ? await chartMetadata(helm, tgz) : unpackedMetadata(dir);
        } catch (error) {
            problems.push(`${found} is not a readable chart (${(error as Error).message.split("\n")[0]}); replace it with: ${fix}`);
            continue;
        }
        if (metadata.name !== chartBaseName(install.chart) || metadata.version !== install.version) {
            problems.push(`${found} holds chart ${metadata.name ?? "(no name)"} ${metadata.version ?? "(no version)"}, not ${chartBaseName(install.chart)} ${install.version}; replace it with: ${fix}`);
            continue;
        }
        for (const i of group) sources.set(i, { chart: found, describe: found === dir ? `${dir}${path.sep}` : found });
    }
    if (problems.length > 0) {
        throw new PlanUsageError(`--charts ${mirror}: ${problems.length} of the ${byChart.size} charts the stack installs ${problems.length === 1 ? "is" : "are"} missing or not the pinned version`, problems);
    }
    return sources;
}
