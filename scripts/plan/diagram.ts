// A Mermaid picture of the platform, derived from what the program registered (never drawn by
// hand): the hub and its add-ons; per tenant its vCluster, AppProject and Applications; and
// which add-on ApplicationSets reach which spoke, by matching each ApplicationSet's cluster
// selector against the labels of the Argo CD cluster secrets the program records.
import type { RecordedResource } from "../recorder";
import { Plan, STACK_TYPE, dig, isChart, isRecord } from "./model";

const APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application";
const APPLICATION_SET = "kubernetes:argoproj.io/v1alpha1:ApplicationSet";
const APP_PROJECT = "kubernetes:argoproj.io/v1alpha1:AppProject";
const SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

export interface Spoke {
    tenant: string;
    /** Node of the vCluster (or of the cluster secret when no vCluster chart is recorded). */
    vcluster?: RecordedResource;
    clusterLabels: Record<string, string>;
    projects: RecordedResource[];
    applications: RecordedResource[];
}

export interface AddonRollout {
    appSet: RecordedResource;
    /** Label selector of the ApplicationSet's cluster generator(s). */
    selectors: Selector[];
    /** Tenants whose cluster secret matches. */
    tenants: string[];
}

interface Selector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PlatformModel {
    addons: RecordedResource[];
    hubApplications: RecordedResource[];
    spokes: Spoke[];
    rollouts: AddonRollout[];
}

function descendants(plan: Plan, root: RecordedResource): RecordedResource[] {
    const out: RecordedResource[] = [];
    const walk = (r: RecordedResource) => {
        for (const child of plan.children.get(r.urn) ?? []) {
            out.push(child);
            walk(child);
        }
    };
    walk(root);
    return out;
}

/** The labels of an Argo CD cluster secret anywhere in the inputs (a Secret, or an ExternalSecret's template). */
export function clusterSecretLabels(value: unknown, depth = 0): Record<string, string> | undefined {
    if (depth > 8 || !isRecord(value)) return undefined;
    const labels = value.labels;
    if (isRecord(labels) && labels[SECRET_TYPE_LABEL] === "cluster") {
        return Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    }
    for (const key of Object.keys(value).sort()) {
        const found = clusterSecretLabels(value[key], depth + 1);
        if (found) return found;
    }
    return undefined;
}

/** Every `clusters` generator selector inside an ApplicationSet's generators (matrix/merge included). */
export function clusterSelectors(value: unknown, depth = 0): Selector[] {
    if (depth > 8) return [];
    if (Array.isArray(value)) return value.flatMap((v) => clusterSelectors(v, depth + 1));
    if (!isRecord(value)) return [];
    const own = isRecord(value.clusters) ? [(isRecord(value.clusters.selector) ? value.clusters.selector : {}) as Selector] : [];
    return [...own, ...Object.keys(value).sort().filter((k) => k !== "clusters").flatMap((k) => clusterSelectors(value[k], depth + 1))];
}

export function selects(selector: Selector, labels: Record<string, string>): boolean {
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
    for (const e of selector.matchExpressions ?? []) {
        const has = e.key in labels;
        const op = e.operator;
        if (op === "In" && !(has && (e.values ?? []).includes(labels[e.key]))) return false;
        if (op === "NotIn" && has && (e.values ?? []).includes(labels[e.key])) return false;
        if (op === "Exists" && !has) return false;
        if (op === "DoesNotExist" && has) return false;
    }
    return true;
}

/** Registration order of asynchronously created resources can vary between runs; names do not. */
const byName = (a: RecordedResource, b: RecordedResource) => a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn);

function isTenant(r: RecordedResource): boolean {
    return !r.custom && /:tenant:/i.test(r.type);
}

export function platformModel(plan: Plan): PlatformModel {
    const top = plan.roots.flatMap((r) => (r.type === STACK_TYPE ? plan.children.get(r.urn) ?? [] : [r]));
    const components = top.filter((r) => !r.custom).sort(byName);
    const spokes: Spoke[] = components.filter(isTenant).map((tenant) => {
        const inside = descendants(plan, tenant);
        const secret = [...inside].sort(byName).map((r) => clusterSecretLabels(r.inputs)).find((l) => l !== undefined);
        return {
            tenant: tenant.name,
            vcluster: inside.filter((r) => isChart(r) && /vcluster/.test(String(r.inputs.chart ?? ""))).sort(byName)[0],
            clusterLabels: secret ?? {},
            projects: inside.filter((r) => r.type === APP_PROJECT).sort(byName),
            applications: inside.filter((r) => r.type === APPLICATION).sort(byName),
        };
    });
    const tenantUrns = new Set(components.filter(isTenant).flatMap((t) => [t.urn, ...descendants(plan, t).map((d) => d.urn)]));
    const rollouts = plan.resources.filter((r) => r.type === APPLICATION_SET).sort(byName).map((appSet) => {
        const selectors = clusterSelectors(dig(appSet.inputs, "spec", "generators"));
        return {
            appSet,
            selectors,
            tenants: spokes.filter((s) => Object.keys(s.clusterLabels).length > 0 && selectors.some((sel) => selects(sel, s.clusterLabels))).map((s) => s.tenant),
        };
    });
    return {
        addons: components.filter((r) => !isTenant(r)),
        hubApplications: plan.resources.filter((r) => r.type === APPLICATION && !tenantUrns.has(r.urn)).sort(byName),
        spokes,
        rollouts,
    };
}

const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
const label = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;
const k8sName = (r: RecordedResource) => String(dig(r.inputs, "metadata", "name") ?? r.name);

function selectorText(selectors: Selector[]): string {
    const parts = selectors.flatMap((s) => [
        ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
        ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` ${e.values.join(",")}` : ""}`),
    ]);
    return parts.join(", ") || "all clusters";
}

/** Mermaid `flowchart` source; stable for the same recording. */
export function renderMermaid(plan: Plan): string {
    const model = platformModel(plan);
    // The diagram type comes first; Mermaid only accepts comments after it.
    const lines = ["flowchart LR", "  %% Generated by `npm run plan -- --stack " + plan.stack + " --diagram …` from the recorded resources; do not edit."];
    lines.push(`  subgraph hub[${label(`hub cluster · stack ${plan.stack}`)}]`, "    direction TB");
    for (const addon of model.addons) lines.push(`    ${id("addon", addon.name)}[${label(`${addon.name}<br/><small>${addon.type}</small>`)}]`);
    for (const app of model.hubApplications) lines.push(`    ${id("app", app.name)}([${label(`Application ${k8sName(app)}`)}])`);
    for (const r of model.rollouts) lines.push(`    ${id("appset", r.appSet.name)}{{${label(`ApplicationSet ${k8sName(r.appSet)}`)}}}`);
    lines.push("  end");
    const argocd = model.addons.find((a) => /argo/i.test(a.type) || /argo/i.test(a.name));
    if (argocd) {
        for (const app of model.hubApplications) lines.push(`  ${id("addon", argocd.name)} --> ${id("app", app.name)}`);
        for (const r of model.rollouts) lines.push(`  ${id("addon", argocd.name)} --> ${id("appset", r.appSet.name)}`);
    }
    for (const spoke of model.spokes) {
        const vc = id("vc", spoke.tenant);
        lines.push(`  subgraph ${id("tenant", spoke.tenant)}[${label(`tenant ${spoke.tenant}`)}]`, "    direction TB");
        const vcText = spoke.vcluster ? `vCluster ${String(spoke.vcluster.inputs.name ?? spoke.vcluster.name)}<br/><small>ns ${String(spoke.vcluster.inputs.namespace ?? "?")}</small>` : `spoke ${spoke.tenant} (no vCluster recorded)`;
        lines.push(`    ${vc}[(${label(vcText)})]`);
        for (const p of spoke.projects) lines.push(`    ${id("proj", p.name)}[${label(`AppProject ${k8sName(p)}`)}]`);
        for (const a of spoke.applications) lines.push(`    ${id("app", a.name)}([${label(`Application ${k8sName(a)}`)}])`);
        lines.push("  end");
        for (const p of spoke.projects) lines.push(`  ${id("proj", p.name)} -->|deploys to| ${vc}`);
        for (const a of spoke.applications) {
            const project = spoke.projects.find((p) => k8sName(p) === dig(a.inputs, "spec", "project"));
            lines.push(`  ${id("app", a.name)} --> ${project ? id("proj", project.name) : vc}`);
        }
    }
    for (const r of model.rollouts) {
        for (const tenant of r.tenants) lines.push(`  ${id("appset", r.appSet.name)} -.->|${label(selectorText(r.selectors))}| ${id("vc", tenant)}`);
    }
    return `${lines.join("\n")}\n`;
}
