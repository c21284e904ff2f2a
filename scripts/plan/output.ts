// The plan report as text (for people), JSON (for machines) and Markdown (for a PR comment).
import { renderTotals } from "./render/model";
import { renderSectionJson, renderSectionMarkdown, renderSectionText } from "./render/report";
import { savedResource } from "./diff/snapshots";
import { STACK_TYPE, displayValue } from "./model";
import { PolicyFinding, groupByPolicy, originText, renderFindings, renderedByText } from "./policies";
import type { PlanReport } from "./run";
import { renderCounts, renderTree } from "./tree";

export function summaryLine(report: PlanReport): string {
    const s = report.policySummary;
    const verdict = report.exitCode === 0 ? "OK" : "BLOCKED";
    const line = `${verdict}: ${report.resourceCount} resources; policies (${s.policiesEvaluated} enabled, config ${report.policyConfig}): ` +
        `${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}, ${s.advisory} advisory, ${s.exempted} exempted`;
    if (!report.render) return line;
    const t = renderTotals(report.render);
    return `${line}; rendered ${t.charts - t.failed} of ${t.charts} charts (${t.objects} objects), ${t.errors} render error${t.errors === 1 ? "" : "s"}`;
}

export function renderText(report: PlanReport): string {
    const lines = [`Offline plan of stack "${report.stack}" (environment ${report.environment}), under Pulumi's mock runtime`, ""];
    // The stack itself is not registered under the mock runtime; shown as `pulumi preview` shows it.
    const stack = { type: STACK_TYPE, name: `gitops-hub-${report.stack}`, urn: "", custom: false, protect: false, children: report.tree };
    lines.push(...renderTree([stack]), "", "Resources by type:", ...renderCounts(report.counts), "");
    if (report.outputs.argocdSizingProfile !== undefined) lines.push(`Argo CD sizing profile: ${report.outputs.argocdSizingProfile} (stack output argocdSizingProfile)`, "");
    if (report.render) lines.push(...renderSectionText(report.render, report.findings, report.exemptionsApplied), "");
    if (report.findings.length === 0) lines.push("Policy violations: none");
    else lines.push("Policy violations, by rule:", ...renderFindings(report.findings));
    lines.push("");
    if (report.written) lines.push(`Wrote ${report.written.files} files to ${report.written.out}`);
    if (report.diagram) lines.push(`Wrote Mermaid diagram to ${report.diagram}`);
    lines.push(summaryLine(report));
    return `${lines.join("\n")}\n`;
}

export function renderJson(report: PlanReport): string {
    const violations = report.findings.map((f) => ({
        policy: f.policy,
        severity: f.severity ?? null,
        enforcementLevel: f.enforcementLevel,
        resource: f.resource ?? null,
        path: f.path,
        message: f.message,
        exempted: f.exempted ?? null,
        ...(f.unknown ? { unknown: true } : {}),
        ...(f.failed ? { failed: true } : {}),
        ...(f.renderedBy ? { renderedBy: f.renderedBy } : {}),
        remediation: f.remediation ?? null,
        framework: f.framework ?? null,
        config: f.origin ?? null,
    }));
    return `${JSON.stringify({
        stack: report.stack,
        environment: report.environment,
        policyConfig: report.policyConfig,
        exitCode: report.exitCode,
        summary: { resources: report.resourceCount, ...report.policySummary, exemptionsApplied: report.exemptionsApplied },
        counts: report.counts,
        violations,
        outputs: report.outputs,
        ...(report.render ? { render: renderSectionJson(report.render, report.findings, report.exemptionsApplied) } : {}),
        tree: displayValue(report.tree),
        // Every resource with its inputs (secrets masked, their paths listed): what `--diff <file>` compares.
        resources: report.resources.map(savedResource),
    }, null, 2)}\n`;
}

const MAX_MARKDOWN_ROWS = 100;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function level(f: PolicyFinding): string {
    return f.exempted !== undefined ? "exempted" : f.enforcementLevel;
}

export function renderMarkdown(report: PlanReport): string {
    const s = report.policySummary;
    const icon = report.exitCode === 0 ? "✅" : "❌";
    const lines = [
        `### ${icon} Offline plan: stack \`${report.stack}\` (${report.environment})`,
        "",
        `${report.resourceCount} resources · ${s.mandatory} mandatory violations · ${s.advisory} advisory · ${s.exempted} exempted · policy config \`${report.policyConfig}\``,
        "",
    ];
    if (report.outputs.argocdSizingProfile !== undefined) lines.push(`Argo CD sizing profile: \`${report.outputs.argocdSizingProfile}\``, "");
    if (report.render) lines.push(...renderSectionMarkdown(report.render, report.findings, report.exemptionsApplied));
    if (report.findings.length > 0) {
        lines.push("| rule | severity | enforcement | resource | field | config | message |", "|---|---|---|---|---|---|---|");
        // GitHub refuses comments over 65,536 characters; the full list is in the JSON report.
        let rows = 0;
        const groups = groupByPolicy(report.findings);
        for (const group of groups) {
            for (const f of group.findings) {
                if (rows++ === MAX_MARKDOWN_ROWS) lines.push(`| … | | | | | | ${report.findings.length - MAX_MARKDOWN_ROWS} more findings in the JSON report |`);
                if (rows > MAX_MARKDOWN_ROWS) continue;
                const message = f.exempted !== undefined ? `${f.message} (exempted: ${f.exempted})` : f.message;
                const config = f.origin ? originText(f.origin) : "";
                lines.push(`| ${group.policy} | ${f.severity ?? ""} | ${level(f)} | ${cell(f.resource ? `${f.resource.type} ${f.resource.name}${renderedByText(f)}` : "(stack)")} | ${cell(f.path ? `\`${f.path}\`` : "")} | ${cell(config)} | ${cell(message)} |`);
            }
        }
        lines.push("", "How to fix, by rule:", "");
        for (const group of groups) {
            const first = group.findings[0];
            lines.push(`- **${group.policy}**${first.framework ? ` (${first.framework})` : ""}: ${first.remediation ?? "no remediation given"}`);
        }
        lines.push("");
    }
    lines.push("<details><summary>Resources by type</summary>", "", "```", ...renderCounts(report.counts), "```", "</details>", "");
    return `${lines.join("\n")}\n`;
}
