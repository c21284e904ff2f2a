// The `--render` part of the plan report: per chart its source, object count, hooks and every
// problem; the program's custom resources against the rendered CRDs; the totals. Text for
// people, a JSON object for machines, Markdown for a pull-request comment.
import { PolicyFinding, blocking } from "../policies";
import { ChartRenderReport, RenderProblem, StackRender, renderTotals } from "./model";

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

function installerText(c: ChartRenderReport): string {
    if (c.installer === "helm.v4.Chart") return "helm.v4.Chart";
    return `${c.installer === "CertManager" ? "CertManager → helm.v3.Release" : "helm.v3.Release"}; CrossGuard does not see its objects`;
}

export interface PolicyCounts {
    mandatory: number;
    advisory: number;
    exempted: number;
}

/** Policy findings on the objects one chart renders. */
export function policyCounts(findings: PolicyFinding[], chart: string): PolicyCounts {
    const own = findings.filter((f) => f.renderedBy?.chart === chart);
    return {
        mandatory: blocking(own).length,
        advisory: own.filter((f) => f.exempted === undefined && f.enforcementLevel === "advisory" && !f.failed).length,
        exempted: own.filter((f) => f.exempted !== undefined).length,
    };
}

function problemLines(problems: RenderProblem[], indent: string): string[] {
    const lines: string[] = [];
    for (const p of problems) {
        const head = [p.subject, p.path].filter((s) => s).join("  ");
        lines.push(`${indent}[${p.level}] ${head || p.kind}${p.source ? `  (${p.source})` : ""}`);
        for (const line of p.message.split("\n")) lines.push(`${indent}    ${line}`);
    }
    return lines;
}

export function totalsLine(render: StackRender, exemptionsApplied: number): string {
    const t = renderTotals(render);
    return `Render: ${plural(t.charts, "chart")} (${t.failed} failed), ${plural(t.objects, "object")}, ${plural(t.hooksDropped, "hook")} dropped; ` +
        `${plural(t.errors, "error")}, ${plural(t.warnings, "warning")}, ${plural(t.notes, "note")}; ${plural(exemptionsApplied, "exemption")} applied`;
}

export function renderSectionText(render: StackRender, findings: PolicyFinding[], exemptionsApplied: number): string[] {
    const from = render.mirror !== undefined ? `from --charts ${render.mirror}` : "from the charts' repositories";
    const lines = [`Charts rendered with helm ${render.helm.version} (${render.helm.path}) for Kubernetes ${render.kubeVersion}, ${from}`];
    if (render.helm.warning) lines.push(`  warning: ${render.helm.warning}`);
    for (const c of render.charts) {
        lines.push("", `  ${c.name}  ${c.chart} ${c.version ?? "(unpinned)"}  release ${c.release} in ${c.namespace}  (${installerText(c)})`, `    source ${c.source}`);
        if (c.status === "failed") lines.push("    FAILED to render");
        else {
            const counts = policyCounts(findings, c.name);
            const dropped = c.hooks.filter((h) => h.handling === "dropped").length;
            lines.push(`    ${plural(c.objects, "object")}${c.crds > 0 ? ` (${plural(c.crds, "CRD")})` : ""}; ` +
                `${c.hooks.length === 0 ? "no hooks" : dropped > 0 ? `${plural(dropped, "hook")} dropped by helm.v4.Chart` : plural(c.hooks.length, "hook")}; ` +
                `policy findings on its objects: ${counts.mandatory} mandatory, ${counts.advisory} advisory, ${counts.exempted} exempted`);
            for (const h of c.hooks) lines.push(`      ${h.hook}  ${h.kind} ${h.name}  ${h.handling}  (${h.source})`);
        }
        lines.push(...problemLines(c.problems, "    "));
    }
    const p = render.program;
    lines.push("", `  The program's custom resources: ${p.customResources}, ${p.validated} validated against the ${plural(render.crds, "CRD")} the charts install`);
    lines.push(...problemLines(p.problems, "    "));
    lines.push("", totalsLine(render, exemptionsApplied));
    return lines;
}

export function renderSectionJson(render: StackRender, findings: PolicyFinding[], exemptionsApplied: number): Record<string, unknown> {
    return {
        helm: { path: render.helm.path, version: render.helm.version, pinned: render.helm.pinned, warning: render.helm.warning ?? null },
        kubeVersion: render.kubeVersion,
        mirror: render.mirror ?? null,
        crds: render.crds,
        totals: { ...renderTotals(render), exemptionsApplied },
        charts: render.charts.map((c) => ({ ...c, version: c.version ?? null, policyFindings: policyCounts(findings, c.name) })),
        program: render.program,
    };
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const MAX_PROBLEM_ROWS = 60;

export function renderSectionMarkdown(render: StackRender, findings: PolicyFinding[], exemptionsApplied: number): string[] {
    const lines = [
        `#### Charts rendered with helm ${render.helm.version} (Kubernetes ${render.kubeVersion})`, "",
        "| chart | release | installer | objects | hooks dropped | problems | policy findings |", "|---|---|---|---:|---:|---|---|",
    ];
    for (const c of render.charts) {
        const errors = c.problems.filter((p) => p.level === "error").length;
        const counts = policyCounts(findings, c.name);
        const status = c.status === "failed" ? "❌ failed to render" : errors > 0 ? `❌ ${plural(errors, "error")}` : "✅";
        lines.push(`| ${cell(`${c.chart} ${c.version ?? ""}`)} | ${cell(`${c.release} in ${c.namespace}`)} | ${cell(c.installer)} | ${c.objects} | ${c.hooks.filter((h) => h.handling === "dropped").length} | ${status} | ${counts.mandatory} mandatory, ${counts.advisory} advisory, ${counts.exempted} exempted |`);
    }
    const problems = [...render.charts.flatMap((c) => c.problems.map((p) => ({ where: c.name, p }))), ...render.program.problems.map((p) => ({ where: "program", p }))]
        .filter(({ p }) => p.level !== "note");
    if (problems.length > 0) {
        lines.push("", "| level | chart | object | field | problem |", "|---|---|---|---|---|");
        for (const { where, p } of problems.slice(0, MAX_PROBLEM_ROWS)) {
            lines.push(`| ${p.level} | ${cell(where)} | ${cell(p.subject ?? "")} | ${cell(p.path ? `\`${p.path}\`` : "")} | ${cell(p.message)} |`);
        }
        if (problems.length > MAX_PROBLEM_ROWS) lines.push(`| … | | | | ${problems.length - MAX_PROBLEM_ROWS} more in the JSON report |`);
    }
    lines.push("", totalsLine(render, exemptionsApplied), "");
    return lines;
}
