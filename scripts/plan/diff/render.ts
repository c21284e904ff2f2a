// A comparison of two plans as text (for people), JSON (for machines) and Markdown (for a
// pull-request comment). Values are already printable (secrets masked) when they get here.
import type { DiffReport, InputChange, ResourceDiff } from "./snapshots";

const SYMBOL: Record<ResourceDiff["change"], string> = { add: "+", delete: "-", update: "~" };
const MAX_VALUE_CHARS = 120;
const MAX_MARKDOWN_ROWS = 100;
const MAX_MARKDOWN_CHANGES = 12;

export interface DiffSummary {
    add: number;
    delete: number;
    update: number;
    unchanged: number;
    /** Deletions of protected resources: `pulumi up` stops at them. */
    protectedDeletes: number;
}

export function summarizeDiff(report: DiffReport): DiffSummary {
    const count = (change: ResourceDiff["change"]) => report.resources.filter((r) => r.change === change).length;
    return {
        add: count("add"),
        delete: count("delete"),
        update: count("update"),
        unchanged: report.unchanged,
        protectedDeletes: report.resources.filter((r) => r.change === "delete" && r.protect).length,
    };
}

function value(v: unknown, max = MAX_VALUE_CHARS): string {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function changeText(change: InputChange, max = MAX_VALUE_CHARS): string {
    const from = "before" in change ? value(change.before, max) : "(absent)";
    const to = "after" in change ? value(change.after, max) : "(absent)";
    const what = change.option ? `resource option ${change.path}` : change.path || "(inputs)";
    return `${what}: ${from} → ${to}${change.secret ? " (secret; value not shown)" : ""}`;
}

/** What deleting a protected or retained resource means. */
export function deleteNote(resource: ResourceDiff): string {
    if (resource.change !== "delete") return "";
    const notes = [
        ...(resource.protect ? ["PROTECTED: `pulumi up` stops here until `pulumi state unprotect` is run for it"] : []),
        ...(resource.retainOnDelete ? ["retained on delete: it stays in the cluster or Vault"] : []),
    ];
    return notes.length ? `  [${notes.join("; ")}]` : "";
}

function heading(report: DiffReport): string {
    const stacks = report.before.stack === report.after.stack
        ? `stack "${report.after.stack}" (environment ${report.after.environment})`
        : `stack "${report.before.stack}" → stack "${report.after.stack}"`;
    return `Offline diff of ${stacks}: ${report.before.label} → ${report.after.label}`;
}

export function summaryText(s: DiffSummary): string {
    return `${s.add} to add, ${s.delete} to delete (${s.protectedDeletes} protected), ${s.update} to change, ${s.unchanged} unchanged`;
}

export function renderDiffText(report: DiffReport): string {
    const lines = [heading(report), "", ...(report.resources.length === 0 ? ["No differences."] : [])];
    const width = Math.max(0, ...report.resources.map((r) => r.type.length)) + 2;
    for (const r of report.resources) {
        lines.push(`${SYMBOL[r.change]} ${r.type.padEnd(width)}${r.name}${deleteNote(r)}`);
        if (r.renamedFrom) lines.push(`      renamed from ${r.renamedFrom} (alias)`);
        for (const change of r.changes) lines.push(`      ${changeText(change)}`);
    }
    lines.push("", summaryText(summarizeDiff(report)));
    return `${lines.join("\n")}\n`;
}

export function renderDiffJson(report: DiffReport): string {
    return `${JSON.stringify({
        before: report.before,
        after: report.after,
        summary: summarizeDiff(report),
        resources: report.resources,
    }, null, 2)}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

export function renderDiffMarkdown(report: DiffReport): string {
    const s = summarizeDiff(report);
    const icon = s.protectedDeletes > 0 ? "⚠️" : s.add + s.delete + s.update === 0 ? "✅" : "📝";
    const stack = report.before.stack === report.after.stack ? `stack \`${report.after.stack}\`` : `stack \`${report.before.stack}\` → \`${report.after.stack}\``;
    const lines = [
        `### ${icon} Offline diff: ${stack}`,
        "",
        `${cell(report.before.label)} → ${cell(report.after.label)}: **${summaryText(s)}**`,
        "",
    ];
    if (s.protectedDeletes > 0) {
        lines.push(`**${s.protectedDeletes} protected resource${s.protectedDeletes === 1 ? "" : "s"} would be deleted**: \`pulumi up\` stops at ${s.protectedDeletes === 1 ? "it" : "them"} until \`pulumi state unprotect\`.`, "");
    }
    if (report.resources.length > 0) {
        lines.push("| | resource | type | what changes |", "|---|---|---|---|");
        report.resources.slice(0, MAX_MARKDOWN_ROWS).forEach((r) => {
            const changes = r.changes.slice(0, MAX_MARKDOWN_CHANGES).map((c) => code(changeText(c, 80)));
            if (r.changes.length > MAX_MARKDOWN_CHANGES) changes.push(`… ${r.changes.length - MAX_MARKDOWN_CHANGES} more`);
            if (r.renamedFrom) changes.unshift(`renamed from ${code(r.renamedFrom)}`);
            const note = deleteNote(r).trim().replace(/^\[|\]$/g, "");
            lines.push(`| ${SYMBOL[r.change] === "-" ? "−" : SYMBOL[r.change]} | ${code(r.name)} | ${code(r.type)} | ${cell([...(note ? [`**${note}**`] : []), ...changes].join("<br>"))} |`);
        });
        if (report.resources.length > MAX_MARKDOWN_ROWS) lines.push(`| … | | | ${report.resources.length - MAX_MARKDOWN_ROWS} more resources in the JSON report (\`--diff … --format json\`) |`);
        lines.push("");
    }
    return `${lines.join("\n")}\n`;
}
