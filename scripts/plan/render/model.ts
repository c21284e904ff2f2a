// What `plan --render` reports: per chart its source, object count, hooks and problems; the
// program's custom resources judged by the rendered CRDs; and the verdict. Renderers
// (report.ts) and the plan read only these types.
import type { RecordedResource } from "../../recorder";
import type { HelmBinary } from "./helm";
import type { Installer } from "./installs";

export type ProblemLevel = "error" | "warning" | "note";

export type ProblemKind =
    /** helm template failed (template error, missing subchart, download failure). */
    | "render-failed"
    /** The chart's values.schema.json refused the values. */
    | "values-schema"
    /** The API server would reject the object (schema, names, pod spec). */
    | "invalid"
    /** A field the CRD's structural schema does not declare: pruned silently. */
    | "unknown-field"
    /** Two declarations of the same object (AlreadyExists / duplicate URN), or a namespace nobody creates. */
    | "conflict"
    /** Accepted by the API server, but worth knowing (warnings it prints, checks that could not run). */
    | "warning"
    /** No CRD among the rendered charts for a custom resource: not validated. */
    | "crd-missing"
    | "note";

export interface RenderProblem {
    level: ProblemLevel;
    kind: ProblemKind;
    /** The object, e.g. `apps/v1 StatefulSet vault/vault`, or the program resource `type name`. */
    subject?: string;
    /** Template the object came from, e.g. `vault/templates/server-statefulset.yaml`. */
    source?: string;
    /** Field, e.g. `spec.template.spec.volumes[4].name`; empty when the problem is the whole object. */
    path: string;
    message: string;
}

export interface HookReport {
    kind: string;
    name: string;
    /** The `helm.sh/hook` annotation, e.g. `pre-delete`. */
    hook: string;
    source: string;
    /** helm.v4.Chart drops every hook; a Helm release runs them (test hooks only on `helm test`). */
    handling: "dropped" | "run by helm" | "not run (test hook)";
}

export interface ChartRenderReport {
    /** Logical name of the installing resource, e.g. `argocd-chart`. */
    name: string;
    type: string;
    installer: Installer;
    chart: string;
    version?: string;
    release: string;
    namespace: string;
    /** Mirror file or directory, or the repository helm downloaded from. */
    source: string;
    status: "rendered" | "failed";
    /** Objects the installer creates (helm.v4.Chart: the resources it registers; hooks excluded). */
    objects: number;
    crds: number;
    hooks: HookReport[];
    problems: RenderProblem[];
}

export interface ProgramResourcesReport {
    /** Custom resources the program registers. */
    customResources: number;
    /** Of those, validated against a rendered CRD's schema. */
    validated: number;
    problems: RenderProblem[];
}

export interface StackRender {
    helm: HelmBinary;
    kubeVersion: string;
    /** The `--charts` mirror, when one was used. */
    mirror?: string;
    charts: ChartRenderReport[];
    program: ProgramResourcesReport;
    /** CRDs the rendered charts install. */
    crds: number;
    /** Records for policy evaluation: helm.v4.Chart children and Helm release objects. */
    children: RecordedResource[];
    /** URNs of Helm release objects: CrossGuard never sees them, so stack policies do not either. */
    releaseObjects: Set<string>;
    /** Rendered objects for `--out`, by record URN (hooks included), with the release folder. */
    files: { folder: string; record: RecordedResource; hook: boolean }[];
}

export interface RenderTotals {
    charts: number;
    failed: number;
    objects: number;
    hooksDropped: number;
    errors: number;
    warnings: number;
    notes: number;
}

export function allProblems(render: StackRender): RenderProblem[] {
    return [...render.charts.flatMap((c) => c.problems), ...render.program.problems];
}

export function renderTotals(render: StackRender): RenderTotals {
    const problems = allProblems(render);
    return {
        charts: render.charts.length,
        failed: render.charts.filter((c) => c.status === "failed").length,
        objects: render.charts.reduce((n, c) => n + c.objects, 0),
        hooksDropped: render.charts.reduce((n, c) => n + c.hooks.filter((h) => h.handling === "dropped").length, 0),
        errors: problems.filter((p) => p.level === "error").length,
        warnings: problems.filter((p) => p.level === "warning").length,
        notes: problems.filter((p) => p.level === "note").length,
    };
}

/** A chart that did not render, or an object the API server would refuse: the plan fails. */
export function renderBlocks(render: StackRender): boolean {
    const totals = renderTotals(render);
    return totals.failed > 0 || totals.errors > 0;
}
