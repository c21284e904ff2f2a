// `tenant app add|remove <tenant> <app>`: one Argo CD Application of a tenant.
import { Command } from "commander";
import { isPinnedRevision } from "../../policy-pack/catalog/platform/application-revision-pinned";
import { syncOptions } from "../../stacks/schema";
import { UsageError } from "./errors";
import { TenantEdit, listOf, openTenant, saveEdit } from "./edit";
import type { FlagSetting } from "./flags";
import { Io, StackOptions, collect, withStackOptions } from "./options";

export interface AppAddOptions extends StackOptions {
    repo: string;
    path?: string;
    chart?: string;
    revision: string;
    namespace: string;
    syncOption: string[];
    allowMovingRevision?: boolean;
}

/** Flag → the setting below the new application entry it writes. */
const APP_SETTINGS: FlagSetting[] = [
    { flag: "<app>", path: "name" },
    { flag: "--repo", path: "repoURL" },
    { flag: "--path", path: "path" },
    { flag: "--chart", path: "chart" },
    { flag: "--revision", path: "targetRevision" },
    { flag: "--namespace", path: "namespace" },
    { flag: "--sync-option", path: "syncOptions" },
    { flag: "--allow-moving-revision", path: "allowMovingRevision" },
];

function repoUrls(edit: TenantEdit): string[] {
    const repos = edit.entry.get("repos", true) as { items?: { get?(key: string): unknown }[] } | undefined;
    return (repos?.items ?? []).map((r) => String(r.get?.("url")));
}

function appNames(edit: TenantEdit): string[] {
    const apps = edit.entry.get("applications", true) as { items?: { get?(key: string): unknown }[] } | undefined;
    return (apps?.items ?? []).map((a) => String(a.get?.("name")));
}

export function addApp(tenant: string, app: string, options: AppAddOptions, io: Io): void {
    if ((options.path === undefined) === (options.chart === undefined)) {
        throw new UsageError(`pass exactly one of --path <dir> (a directory in a git repo) and --chart <name> (a chart in a Helm or OCI repo); nothing was written`);
    }
    const edit = openTenant(tenant, options.stack, options.root);
    if (appNames(edit).includes(app)) {
        throw new UsageError(`<app> ${app} is already an application of tenant "${tenant}"; nothing was written; remove it first to replace it: npm run tenant -- app remove ${tenant} ${app} --stack ${options.stack}`);
    }
    if (!repoUrls(edit).includes(options.repo)) {
        throw new UsageError(`--repo ${options.repo} is not a repository of tenant "${tenant}" (${repoUrls(edit).join(", ") || "it has none"}); add it first: npm run tenant -- repo add ${tenant} ${options.repo} --stack ${options.stack}`);
    }
    const apps = listOf(edit, "applications");
    const entry: Record<string, unknown> = {
        name: app,
        repoURL: options.repo,
        ...(options.path !== undefined ? { path: options.path } : { chart: options.chart }),
        targetRevision: options.revision,
        namespace: options.namespace,
        ...(options.syncOption.length > 0 ? { syncOptions: options.syncOption } : {}),
        ...(options.allowMovingRevision ? { allowMovingRevision: true } : {}),
    };
    apps.add(edit.document.doc.createNode(entry));
    saveEdit(edit, `${edit.base}.applications[${apps.items.length - 1}]`, APP_SETTINGS);
    io.out(`added application "${app}" to tenant "${tenant}" in Pulumi.${options.stack}.yaml: ${options.repo} ${options.path !== undefined ? `path ${options.path}` : `chart ${options.chart}`} at ${options.revision}, namespace ${options.namespace}`);
    if (!isPinnedRevision(options.revision) && !options.allowMovingRevision) {
        io.out(`note: --revision ${options.revision} can move; the policy application-revision-pinned flags it (advisory in dev, mandatory in prod); pin a release tag or a commit SHA, or pass --allow-moving-revision to track it on purpose`);
    }
}

export function removeApp(tenant: string, app: string, options: StackOptions, io: Io): void {
    const edit = openTenant(tenant, options.stack, options.root);
    const index = appNames(edit).indexOf(app);
    if (index < 0) {
        throw new UsageError(`tenant "${tenant}" has no application "${app}" in Pulumi.${options.stack}.yaml; nothing was written; its applications: ${appNames(edit).join(", ") || "(none)"}`);
    }
    listOf(edit, "applications").delete(index);
    saveEdit(edit, edit.base, []);
    io.out(`removed application "${app}" from tenant "${tenant}" in Pulumi.${options.stack}.yaml`);
    io.out(`note: the next \`pulumi up -s ${options.stack}\` deletes the Argo CD Application without cascade: what it deployed keeps running in the vCluster until the team removes it`);
}

export function appCommand(io: Io): Command {
    const app = new Command("app").description("add or remove a tenant's Argo CD applications");
    app.addCommand(withStackOptions(new Command("add"))
        .description("add an application to a tenant (its repo must be one of the tenant's repos)")
        .argument("<tenant>", "tenant name")
        .argument("<app>", "application name, a DNS-1123 label; the Argo CD Application is <tenant>-<app>")
        .requiredOption("--repo <url>", "repository it deploys from, one of the tenant's repos")
        .option("--path <dir>", "directory in a git repo (or --chart)")
        .option("--chart <name>", "chart in a Helm or OCI repo (or --path)")
        .requiredOption("--revision <rev>", "targetRevision: a release tag, chart version or commit SHA")
        .requiredOption("--namespace <ns>", "namespace inside the tenant's vCluster")
        .option("--sync-option <option>", `Argo CD sync option instead of the platform's (repeatable): ${syncOptions.join(", ")}`, collect, [])
        .option("--allow-moving-revision", "track a moving revision (a branch) on purpose; see application-revision-pinned")
        .action((tenant: string, name: string, options: AppAddOptions) => addApp(tenant, name, options, io))
        .exitOverride());
    app.addCommand(withStackOptions(new Command("remove"))
        .description("remove an application from a tenant (its workloads keep running in the vCluster)")
        .argument("<tenant>", "tenant name")
        .argument("<app>", "application name")
        .action((tenant: string, name: string, options: StackOptions) => removeApp(tenant, name, options, io))
        .exitOverride());
    return app;
}
