// One chart: hand helm exactly the values the program registers, read back what it renders, and
// split it as the installer would — helm.v4.Chart drops every hook, a Helm release runs all but
// its test hooks.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TemplateResult, helmTemplate, parseSchemaFailure } from "./helm";
import { ChartInstall, helmValues, unknownPaths } from "./installs";
import type { ChartRenderReport, HookReport, RenderProblem } from "./model";
import { RenderedObject, metadataOf, parseRendered } from "./objects";
import { redact, secretStrings } from "./secrets";
import type { ChartSource } from "./sources";

export interface RenderedChart {
    report: ChartRenderReport;
    /** Objects the installer creates (hooks a release runs included). */
    objects: RenderedObject[];
    /** Hooks it does not create (all hooks for helm.v4.Chart, test hooks for a release). */
    skipped: RenderedObject[];
    /** The plain text of the secret values it was given: marked and redacted wherever they surface. */
    secrets: string[];
}

/** helm's stderr, trimmed to what names the cause. */
function firstLines(text: string, count = 12): string {
    const lines = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("Use --debug flag"));
    return lines.length > count ? [...lines.slice(0, count), `… (${lines.length - count} more lines)`].join("\n") : lines.join("\n");
}

const DOWNLOAD_FAILURE = /failed to fetch|dial tcp|no such host|connection refused|i\/o timeout|is not a valid chart repository|could not be reached|TLS handshake/i;

function renderFailure(stderr: string, install: ChartInstall, mirror?: string): RenderProblem[] {
    const schema = parseSchemaFailure(stderr);
    if (schema.length > 0) {
        return schema.map((f) => ({
            level: "error" as const, kind: "values-schema" as const, subject: "values", path: f.at === "" ? "/" : f.at,
            message: `values refused by ${f.chart}'s values.schema.json: at '${f.at}': ${f.message}`,
        }));
    }
    const hint = mirror === undefined && DOWNLOAD_FAILURE.test(stderr) ? `\n(helm could not download ${install.chart} ${install.version ?? ""} from ${install.repo ?? install.chart}; offline, pass --charts DIR with a mirror)` : "";
    return [{ level: "error", kind: "render-failed", path: "", message: `helm template failed: ${firstLines(stderr)}${hint}` }];
}

function hookReport(object: RenderedObject, handling: HookReport["handling"]): HookReport {
    const metadata = metadataOf(object.manifest);
    const namespace = typeof metadata.namespace === "string" ? `${metadata.namespace}/` : "";
    return { kind: String(object.manifest.kind), name: `${namespace}${String(metadata.name ?? "")}`, hook: object.hook ?? "", source: object.source, handling };
}

const isTestHook = (hook: string) => hook.split(",").map((h) => h.trim()).every((h) => h === "test" || h === "test-success");

export async function renderChart(helm: string, install: ChartInstall, source: ChartSource, kubeVersion: string, mirror?: string): Promise<RenderedChart> {
    const problems: RenderProblem[] = [];
    const secrets = secretStrings(install.values);
    const unknown = unknownPaths(install.values);
    if (unknown.length > 0) {
        problems.push({
            level: "warning", kind: "warning", path: "values",
            message: `values unknown until deployment at ${unknown.join(", ")}: during \`pulumi preview\` helm.v4.Chart renders nothing ("Preview is incomplete"); rendered here with the placeholder "[unknown]"`,
        });
    }
    for (const input of install.unsupported) {
        problems.push({ level: "warning", kind: "warning", path: input, message: `${input} is set; the offline render does not apply it, so objects may differ from what the provider renders` });
    }
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-render-"));
    let result: TemplateResult;
    try {
        // Secrets are unwrapped here, so the values file is private and short-lived.
        const valuesFile = path.join(scratch, "values.json");
        fs.writeFileSync(valuesFile, JSON.stringify(helmValues(install.values)), { mode: 0o600 });
        result = await helmTemplate(helm, {
            release: install.release, namespace: install.namespace, chart: source.chart, repo: source.repo, version: source.version,
            valuesFile, includeCrds: install.includeCrds, kubeVersion,
        });
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    const report: ChartRenderReport = {
        name: install.resource.name, type: install.resource.type, installer: install.installer,
        chart: install.chart, version: install.version, release: install.release, namespace: install.namespace,
        source: source.describe, status: "failed", objects: 0, crds: 0, hooks: [], problems,
    };
    if (!result.ok) {
        problems.push(...renderFailure(redact(result.stderr, secrets), install, mirror));
        return { report, objects: [], skipped: [], secrets };
    }
    const parsed = parseRendered(result.manifest);
    if (parsed.errors.length > 0) {
        problems.push(...parsed.errors.map((e) => ({ level: "error" as const, kind: "render-failed" as const, path: "", message: `rendered YAML does not parse: ${redact(e, secrets)}` })));
        return { report, objects: [], skipped: [], secrets };
    }
    const objects: RenderedObject[] = [];
    const skipped: RenderedObject[] = [];
    for (const object of parsed.objects) {
        if (object.hook === undefined) objects.push(object);
        else if (install.childrenAreResources) {
            skipped.push(object);
            report.hooks.push(hookReport(object, "dropped"));
        } else if (isTestHook(object.hook)) {
            skipped.push(object);
            report.hooks.push(hookReport(object, "not run (test hook)"));
        } else {
            objects.push(object);
            report.hooks.push(hookReport(object, "run by helm"));
        }
    }
    report.status = "rendered";
    report.objects = objects.length;
    report.crds = objects.filter((o) => o.manifest.kind === "CustomResourceDefinition").length;
    return { report, objects, skipped, secrets };
}
