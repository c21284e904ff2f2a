// `npm run readme`: regenerates the README's generated sections (between
// `<!-- generated:<name>:start -->` and `<!-- generated:<name>:end -->`) from the program itself:
// the dev stack's diagram and plan output, a `plan --diff` of decommissioning a tenant, resource
// counts per stack, the `helm pull` commands of the chart mirror, and the rule catalog.
// test/readme.spec.ts fails when the committed README differs from what this renders.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command } from "commander";
import { CERT_MANAGER_REPO, CERT_MANAGER_VERSION, CHARTS, TOOLS } from "../../components/versions";
import { rules } from "../../policy-pack/catalog";
import { parseArguments } from "../cli";
import { parityTable, runStacks } from "./kyverno-parity";
import { pullCommand } from "../plan/render/sources";
import { findTool, installHint } from "../tools/main";
import { diffSnapshots, snapshotOfRecorded } from "../plan/diff/snapshots";
import { renderDiffText } from "../plan/diff/render";
import { renderText } from "../plan/output";
import { plan, PlanReport, record } from "../plan/run";
import { PROJECT_ROOT, readStackFile } from "../stack-file";

export const README = path.join(PROJECT_ROOT, "README.md");
const STACKS = ["dev", "prod"] as const;

type Sections = Record<string, string>;

function enforcement(environment: string, rule: string): string {
    const config = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policy-pack", "config", `${environment}.json`), "utf8")) as Record<string, unknown>;
    const entry = config[rule];
    if (typeof entry === "string") return entry;
    if (entry && typeof entry === "object" && typeof (entry as { enforcementLevel?: unknown }).enforcementLevel === "string") {
        return (entry as { enforcementLevel: string }).enforcementLevel;
    }
    return typeof config.all === "string" ? config.all : "advisory";
}

export function rulesTable(): string {
    const rows = rules.map((rule) => {
        const framework = [...rule.framework.bsi, ...(rule.framework.pss ? [`PSS ${rule.framework.pss} (Kubernetes ${rule.framework.pssKubernetesVersion})`] : [])].join(", ");
        const where = rule.scope === "runtime" ? "CrossGuard + Kyverno" : rule.scope === "platform" ? "CrossGuard (resource)" : "CrossGuard (stack)";
        return `| \`${rule.id}\` | ${rule.severity} | ${framework} | ${where} | ${enforcement("dev", rule.id)} | ${enforcement("prod", rule.id)} |`;
    });
    return [
        `${rules.length} rules. Runtime rules are also rendered as Kyverno ClusterPolicies of the same name (Audit in dev, Enforce in prod).`,
        "",
        "| rule | severity | framework | enforced by | dev | prod |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}

/** One `helm pull` per pinned chart (components/versions.ts): the air-gapped mirror `plan --render --charts` reads. */
export function mirrorCommands(): string {
    const charts = [...Object.values(CHARTS), { chart: "cert-manager", repo: CERT_MANAGER_REPO, version: CERT_MANAGER_VERSION }]
        .sort((a, b) => a.chart.localeCompare(b.chart));
    return ["```sh", "mkdir -p charts-mirror", ...charts.map((c) => pullCommand(c, "charts-mirror")), "```"].join("\n");
}

function countsTable(reports: Record<string, PlanReport>): string {
    const types = [...new Set(STACKS.flatMap((s) => reports[s].counts.map((c) => c.type)))].sort();
    const count = (stack: string, type: string) => reports[stack].counts.find((c) => c.type === type)?.count ?? 0;
    return [
        "| resource type | dev | prod |",
        "| --- | ---: | ---: |",
        ...types.map((t) => `| \`${t}\` | ${count("dev", t)} | ${count("prod", t)} |`),
        `| **total** | **${reports.dev.resourceCount}** | **${reports.prod.resourceCount}** |`,
    ].join("\n");
}

/** The tenant the README's diff decommissions: the dev stack's second, which has Vault-held repo credentials. */
const DECOMMISSIONED = 1;

/**
 * `plan --diff` of decommissioning a tenant, from two in-memory configs (the committed dev stack,
 * and the same with one tenant's `state: decommissioned`), so it does not depend on git history.
 */
export async function decommissionDiff(): Promise<string> {
    const file = readStackFile("dev");
    const edited = structuredClone(file.config) as { tenants: Record<string, unknown>[] };
    const tenant = String(edited.tenants[DECOMMISSIONED].name);
    edited.tenants[DECOMMISSIONED].state = "decommissioned";
    const before = await record("dev", { files: { dev: file } });
    const after = await record("dev", { files: { dev: { ...file, config: edited } } });
    const report = diffSnapshots(
        snapshotOfRecorded("Pulumi.dev.yaml as committed", "dev", before.environment, before.planned.resources),
        snapshotOfRecorded(`the same with ${tenant}'s state: decommissioned`, "dev", after.environment, after.planned.resources),
    );
    return [
        `<details><summary>What <code>npm run plan -- --stack dev --diff</code> prints after <code>npm run tenant -- set ${tenant} --state decommissioned --stack dev</code></summary>`, "",
        "```", renderDiffText(report).trimEnd(), "```", "",
        `*Generated by \`npm run readme\` from two in-memory plans: the committed dev stack, and the same with ${tenant}'s \`state: decommissioned\`. On a branch with only that edit, \`--diff\` prints the same, its first line naming the merge base it compares with.*`, "",
        "</details>",
    ].join("\n");
}

/**
 * The packages `npm ci` warns about on this project's Node line (EBADENGINE): every package of
 * the lockfile that declares Node 22 or later, and what it is for.
 */
export function engineWarnings(lockfile = path.join(PROJECT_ROOT, "package-lock.json")): string {
    const lock = JSON.parse(fs.readFileSync(lockfile, "utf8")) as { packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }> };
    const rows = Object.entries(lock.packages)
        .filter(([, p]) => /^>=\s*(2[2-9]|[3-9]\d)/.test(p.engines?.node ?? ""))
        .map(([at, p]) => `| \`${at.replace(/^.*node_modules\//, "")}@${p.version}\` | \`${p.engines!.node}\` | ${p.dev ? "dev" : "runtime"} |`)
        .sort();
    return [
        `\`npm ci\` on Node 20 prints one EBADENGINE warning for each of these ${rows.length} packages of the lockfile (generated from package-lock.json):`,
        "",
        "| package | declares node | used by |",
        "| --- | --- | --- |",
        ...rows,
    ].join("\n");
}

export async function renderSections(): Promise<Sections> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-readme-"));
    try {
        const reports: Record<string, PlanReport> = {};
        for (const stack of STACKS) {
            reports[stack] = await plan({ stack, diagram: stack === "dev" ? path.join(dir, "dev.mmd") : undefined });
        }
        const diagram = fs.readFileSync(path.join(dir, "dev.mmd"), "utf8").trimEnd();
        return {
            "diagram:dev": ["```mermaid", diagram, "```", "", "*The dev stack, drawn by `npm run plan -- --stack dev --diagram <file>` from what the program registers.*"].join("\n"),
            // Rendered as the README's first command runs it (the diagram path is the one it names).
            "plan-output": [
                "<details><summary>What <code>npm run plan -- --stack dev --diagram plan-out/dev.mmd</code> prints</summary>", "",
                "```", renderText({ ...reports.dev, diagram: "plan-out/dev.mmd" }).trimEnd(), "```", "", "</details>",
            ].join("\n"),
            "diff:decommission": await decommissionDiff(),
            "engine-warnings": engineWarnings(),
            "resource-counts": countsTable(reports),
            "chart-mirror": mirrorCommands(),
            "rules": rulesTable(),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The body of one generated section; throws when its markers are missing. */
export function readSection(readme: string, name: string): string {
    const start = `<!-- generated:${name}:start -->`;
    const end = `<!-- generated:${name}:end -->`;
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no "${start}" … "${end}" section`);
    return readme.slice(from + start.length + 1, to - 1);
}

/**
 * The parity table, from a real Kyverno run (test/kyverno-parity.spec.ts keeps it current). It
 * needs the Kyverno CLI, so it is rendered apart from the other sections.
 */
export async function renderParitySection(kyverno: string): Promise<Sections> {
    return { parity: parityTable(await runStacks(kyverno), TOOLS.kyverno.version) };
}

/** The README with every generated section replaced; throws when a marker pair is missing. */
export function applySections(readme: string, sections: Sections): string {
    let out = readme;
    for (const [name, body] of Object.entries(sections)) {
        const start = `<!-- generated:${name}:start -->`;
        const end = `<!-- generated:${name}:end -->`;
        const from = out.indexOf(start);
        const to = out.indexOf(end);
        if (from < 0 || to < from) throw new Error(`README.md has no "${start}" … "${end}" section`);
        out = `${out.slice(0, from + start.length)}\n${body}\n${out.slice(to)}`;
    }
    return out;
}

/** The committed body of each of these sections (undefined when it has none). */
function sectionBodies(readme: string, names: string[]): Record<string, string | undefined> {
    return Object.fromEntries(names.map((name) => {
        try {
            return [name, readSection(readme, name)];
        } catch {
            return [name, undefined];
        }
    }));
}

export interface ReadmeUpdate {
    /** The README with every section rendered. */
    text: string;
    /** Sections whose rendering differs from the committed one. */
    changed: string[];
    /** What to tell the user. */
    message: string;
    /** Whether to write `text` (something changed and this is no --check). */
    write: boolean;
    exitCode: number;
}

/** What `npm run readme` does with freshly rendered sections: nothing when nothing changed. */
export function updateReadme(committed: string, sections: Sections, options: { check?: boolean } = {}): ReadmeUpdate {
    const text = applySections(committed, sections);
    const old = sectionBodies(committed, Object.keys(sections));
    const changed = Object.keys(sections).filter((name) => old[name] !== sections[name]);
    const count = Object.keys(sections).length;
    if (changed.length === 0) return { text, changed, message: `README.md is up to date (${count} generated sections); nothing written`, write: false, exitCode: 0 };
    if (options.check) {
        return { text, changed, message: `README.md is out of date: ${changed.length} of ${count} generated sections differ (${changed.join(", ")}); run npm run readme`, write: false, exitCode: 1 };
    }
    return { text, changed, message: `updated ${changed.length} of ${count} generated sections of README.md: ${changed.join(", ")}`, write: true, exitCode: 0 };
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command("readme")
        .description("regenerate README.md's generated sections (diagram, plan output, a plan --diff, npm's engine warnings, resource counts, rules) from the program")
        .option("--check", "write nothing; exit 1 when a section is out of date")
        .exitOverride();
    const answered = parseArguments(program, argv);
    if (answered !== undefined) return answered;
    const sections = await renderSections();
    // The parity table needs the Kyverno CLI; without it that section is left as it is.
    const kyverno = findTool("kyverno");
    if (kyverno) Object.assign(sections, await renderParitySection(kyverno));
    else console.warn(`the parity section is left as it is: ${installHint("kyverno")}`);
    const update = updateReadme(fs.readFileSync(README, "utf8"), sections, program.opts<{ check?: boolean }>());
    if (update.write) fs.writeFileSync(README, update.text);
    console.log(update.message);
    return update.exitCode;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => {
        console.error(error);
        process.exitCode = 1;
    });
}
