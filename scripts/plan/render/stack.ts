// `plan --render`: every chart the recorded stack installs, rendered with real Helm and exactly
// the values the program registers, then judged as the cluster would judge it: each object by
// the API server's rules and schemas, custom resources (the charts' and the program's) by the
// CRDs the charts install, and the whole set for objects declared twice or namespaces nobody
// creates. Returns the records the policy pack judges next (../policies.ts).
import { RENDER_KUBERNETES_VERSION } from "../../../components/versions";
import type { RecordedResource } from "../../recorder";
import { Plan, isRecord, manifestOf } from "../model";
import { renderChart } from "./chart";
import { ChildRecord, childRecord } from "./children";
import { CrdIndex } from "./crds";
import { locateHelm } from "./helm";
import { ChartInstall, chartInstalls } from "./installs";
import { groupOf, isBuiltInGroup, isNamespaced } from "./kinds";
import { JudgeContext, asSent, containsUnknown, objectProblems } from "./judge";
import type { ChartRenderReport, RenderProblem, StackRender } from "./model";
import { describeObject } from "./objects";
import { redact, secretStrings } from "./secrets";
import { resolveSources } from "./sources";

export interface RenderOptions {
    /** `--charts DIR`: the local mirror; @default the charts' repositories, downloaded by helm */
    charts?: string;
    /** helm binary; @default HELM, then `.tools/`, then PATH */
    helm?: string;
    /** `.Capabilities.KubeVersion`; @default RENDER_KUBERNETES_VERSION (components/versions.ts) */
    kubeVersion?: string;
}

/** Namespaces every cluster has. */
const SYSTEM_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

interface Declared {
    subject: string;
    owner: string;
    manifest: Record<string, unknown>;
    namespace?: string;
    problems: RenderProblem[];
}

function identity(manifest: Record<string, unknown>, namespace: string | undefined): string {
    const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
    return `${groupOf(String(manifest.apiVersion ?? ""))}/${String(manifest.kind)}/${namespace ?? ""}/${String(metadata.name)}`;
}

/** Objects declared twice (the second create fails with AlreadyExists) and namespaces nobody creates. */
function crossChecks(declared: Declared[], createdNamespaces: Set<string>): void {
    const first = new Map<string, Declared>();
    for (const d of declared) {
        const key = identity(d.manifest, d.namespace);
        const earlier = first.get(key);
        if (earlier && earlier.owner !== d.owner) {
            d.problems.push({ subject: d.subject, level: "error", kind: "conflict", path: "", message: `also declared by ${earlier.owner}; the second create fails with AlreadyExists (or the two fight over it)` });
        } else if (!earlier) first.set(key, d);
        if (d.namespace !== undefined && !createdNamespaces.has(d.namespace) && !SYSTEM_NAMESPACES.has(d.namespace)) {
            d.problems.push({ subject: d.subject, level: "error", kind: "conflict", path: "metadata.namespace", message: `namespace "${d.namespace}" is created neither by the program nor by a chart; the create fails (namespaces "${d.namespace}" not found)` });
        }
    }
}

function releaseFolders(installs: ChartInstall[]): Map<ChartInstall, string> {
    const counts = new Map<string, number>();
    for (const i of installs) counts.set(i.release, (counts.get(i.release) ?? 0) + 1);
    return new Map(installs.map((i) => [i, (counts.get(i.release) ?? 0) > 1 ? `${i.release}-${i.namespace}` : i.release]));
}

export async function renderStack(plan: Plan, options: RenderOptions = {}): Promise<StackRender> {
    const installs = chartInstalls(plan);
    const helm = await locateHelm(options.helm);
    const sources = await resolveSources(installs, helm.path, options.charts);
    const kubeVersion = options.kubeVersion ?? RENDER_KUBERNETES_VERSION;
    const rendered = [];
    for (const install of installs) {
        rendered.push({ install, ...(await renderChart(helm.path, install, sources.get(install)!, kubeVersion, options.charts)) });
    }

    const crds = new CrdIndex();
    for (const r of rendered) for (const o of r.objects) if (o.manifest.kind === "CustomResourceDefinition") crds.add(o.manifest, r.install.resource.name);
    const scopes = crds.scopes();
    const context: JudgeContext = { crds, failedCharts: rendered.filter((r) => r.report.status === "failed").map((r) => r.install.resource.name) };
    const folders = releaseFolders(installs);

    const declared: Declared[] = [];
    const createdNamespaces = new Set<string>();
    const children: RecordedResource[] = [];
    const releaseObjects = new Set<string>();
    const files: StackRender["files"] = [];
    for (const r of rendered) {
        const owner = `${r.install.resource.name} (${r.install.installer} ${r.install.chart} ${r.install.version ?? ""})`.replace(" )", ")");
        const urns = new Set<string>();
        const cel = new Map<string, number>();
        const unchecked = new Set<string>();
        const childrenOf: ChildRecord[] = r.objects.map((o) => childRecord(r.install, o, scopes, r.secrets));
        for (const child of childrenOf) {
            const subject = describeObject(child.record.inputs);
            if (urns.has(child.record.urn)) {
                r.report.problems.push({ subject, source: child.object.source, level: "error", kind: "conflict", path: "", message: `rendered twice: ${r.install.installer} registers both as ${child.record.name} (Duplicate resource URN)` });
                continue;
            }
            urns.add(child.record.urn);
            const judged = await objectProblems(child.object.manifest, subject, child.object.source, context);
            r.report.problems.push(...judged.problems);
            if (judged.celRules) cel.set(judged.celRules.kind, judged.celRules.count);
            if (!judged.schemaChecked && isBuiltInGroup(groupOf(String(child.object.manifest.apiVersion ?? "")))) unchecked.add(`${String(child.object.manifest.apiVersion)} ${String(child.object.manifest.kind)}`);
            if (child.scopeUnknown) {
                r.report.problems.push({ subject, source: child.object.source, level: "warning", kind: "warning", path: "metadata.namespace", message: `scope of ${String(child.object.manifest.kind)} unknown offline (not built in, no rendered CRD): the provider leaves it without a namespace` });
            }
            if (child.object.manifest.kind === "Namespace" && child.object.manifest.apiVersion === "v1") createdNamespaces.add(String((child.object.manifest.metadata as Record<string, unknown>).name));
            declared.push({ subject, owner, manifest: child.record.inputs, namespace: child.namespace, problems: r.report.problems });
            children.push(child.record);
            if (!r.install.childrenAreResources) releaseObjects.add(child.record.urn);
            files.push({ folder: folders.get(r.install)!, record: child.record, hook: child.object.hook !== undefined });
        }
        for (const [kind, count] of cel) {
            r.report.problems.push({ level: "note", kind: "note", subject: kind, path: "", message: `${count} CEL rule${count === 1 ? "" : "s"} (x-kubernetes-validations) of its CRD not evaluated offline` });
        }
        for (const kind of [...unchecked].sort()) {
            r.report.problems.push({ level: "note", kind: "note", subject: kind, path: "", message: "no upstream schema in kubernetes-models for this built-in kind: checked by the name, label and pod-spec rules only" });
        }
        for (const hook of r.skipped) files.push({ folder: folders.get(r.install)!, record: childRecord(r.install, hook, scopes, r.secrets).record, hook: true });
        if (r.install.createsNamespace) createdNamespaces.add(r.install.namespace);
    }

    const program = programResources(plan, context, declared, createdNamespaces);
    await judgeProgram(program, context);
    crossChecks(declared, createdNamespaces);
    const programSecrets = plan.resources.flatMap((r) => secretStrings(r.inputs));
    program.problems = program.problems.map((p) => ({ ...p, message: redact(p.message, programSecrets) }));
    for (const r of rendered) {
        r.report.problems = r.report.problems.map((p) => ({ ...p, message: redact(p.message, r.secrets), ...(p.subject ? { subject: redact(p.subject, r.secrets) } : {}) }));
    }
    return {
        helm, kubeVersion, mirror: options.charts,
        charts: rendered.map((r): ChartRenderReport => r.report),
        program: { customResources: program.customResources, validated: program.validated, problems: program.problems },
        crds: crds.size, children, releaseObjects, files,
    };
}

interface ProgramWork {
    objects: { record: RecordedResource; manifest: Record<string, unknown>; subject: string; custom: boolean }[];
    customResources: number;
    validated: number;
    problems: RenderProblem[];
}

/** The program's own Kubernetes objects, as declarations for the cross checks and as work for judgeProgram. */
function programResources(plan: Plan, context: JudgeContext, declared: Declared[], createdNamespaces: Set<string>): ProgramWork {
    const work: ProgramWork = { objects: [], customResources: 0, validated: 0, problems: [] };
    // URN order: registration order varies between runs, the report must not.
    for (const record of [...plan.resources].sort((a, b) => a.urn.localeCompare(b.urn))) {
        const raw = manifestOf(record);
        if (!raw || record.read) continue;
        const manifest = asSent(raw) as Record<string, unknown>;
        const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
        const apiVersion = String(manifest.apiVersion);
        const custom = !isBuiltInGroup(groupOf(apiVersion));
        const subject = `${record.type} ${record.name}`;
        work.objects.push({ record, manifest, subject, custom });
        if (custom) work.customResources++;
        if (manifest.kind === "Namespace" && apiVersion === "v1" && typeof metadata.name === "string") createdNamespaces.add(metadata.name);
        const namespaced = isNamespaced(apiVersion, String(manifest.kind), context.crds.scopes());
        const namespace = typeof metadata.namespace === "string" ? metadata.namespace : namespaced === true ? "default" : undefined;
        if (typeof metadata.name === "string" && !containsUnknown(metadata)) declared.push({ subject, owner: `the program (${record.type} ${record.name})`, manifest, namespace, problems: work.problems });
    }
    return work;
}

/** The program's objects judged like the charts' (its custom resources by the rendered CRDs). */
async function judgeProgram(work: ProgramWork, context: JudgeContext): Promise<void> {
    const cel = new Map<string, number>();
    // One line per kind whose CRD is missing, naming its resources, rather than one per resource.
    const missing = new Map<string, { problem: RenderProblem; names: string[] }>();
    for (const object of work.objects) {
        const judged = await objectProblems(object.manifest, object.subject, undefined, context);
        for (const problem of judged.problems) {
            if (problem.kind !== "crd-missing") {
                work.problems.push(problem);
                continue;
            }
            const entry = missing.get(object.record.type) ?? { problem: { ...problem, subject: object.record.type }, names: [] };
            entry.names.push(object.record.name);
            missing.set(object.record.type, entry);
        }
        if (object.custom && judged.schemaChecked) work.validated++;
        if (judged.celRules) cel.set(judged.celRules.kind, judged.celRules.count);
    }
    for (const { problem, names } of missing.values()) work.problems.push({ ...problem, message: `${problem.message} (${names.length}: ${names.sort().join(", ")})` });
    for (const [kind, count] of cel) work.problems.push({ level: "note", kind: "note", subject: kind, path: "", message: `${count} CEL rule${count === 1 ? "" : "s"} (x-kubernetes-validations) of its CRD not evaluated offline` });
}
