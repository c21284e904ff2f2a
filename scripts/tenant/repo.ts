// `tenant repo add|remove <tenant> <url>`: one source repository of a tenant (its AppProject's
// sourceRepos, and with credentials a repository secret fed from the tenant's Vault space).
import { Command, Option } from "commander";
import { usesSshKey } from "../../components/tenant/manifests";
import { tenantNames } from "../../components/tenant/naming";
import { REPO_CREDENTIALS_PREFIX } from "../../stacks/contract";
import type { RepoConfig } from "../../stacks/schema";
import { repoType } from "./add";
import { UsageError } from "./errors";
import { TenantEdit, listOf, openTenant, saveEdit } from "./edit";
import type { FlagSetting } from "./flags";
import { Io, StackOptions, withStackOptions } from "./options";

export interface RepoAddOptions extends StackOptions {
    type?: RepoConfig["type"];
    credentialsVaultKey?: string;
}

const REPO_SETTINGS: FlagSetting[] = [
    { flag: "<url>", path: "url" },
    { flag: "--type", path: "type" },
    { flag: "--credentials-vault-key", path: "credentialsVaultKey" },
];

function entries(edit: TenantEdit, key: string, field: string): string[] {
    const list = edit.entry.get(key, true) as { items?: { get?(k: string): unknown }[] } | undefined;
    return (list?.items ?? []).map((item) => String(item.get?.(field)));
}

export function addRepo(tenant: string, url: string, options: RepoAddOptions, io: Io): void {
    const edit = openTenant(tenant, options.stack, options.root);
    if (entries(edit, "repos", "url").includes(url)) {
        throw new UsageError(`<url> ${url} is already a repository of tenant "${tenant}"; nothing was written`);
    }
    const type = options.type ?? repoType(url);
    const repos = listOf(edit, "repos");
    repos.add(edit.document.doc.createNode({ url, type, ...(options.credentialsVaultKey !== undefined ? { credentialsVaultKey: options.credentialsVaultKey } : {}) }));
    saveEdit(edit, `${edit.base}.repos[${repos.items.length - 1}]`, REPO_SETTINGS);
    io.out(`added repository ${url} (${type}) to tenant "${tenant}" in Pulumi.${options.stack}.yaml`);
    if (options.credentialsVaultKey !== undefined) {
        const mount = tenantNames(tenant).vaultMount;
        const fields = usesSshKey(url) ? "sshPrivateKey=@<key file>" : "username=<user> password=<token>";
        io.out(`credentials: Argo CD reads them from Vault, mount ${mount}, key ${options.credentialsVaultKey}; write them with: vault kv put -mount=${mount} ${options.credentialsVaultKey} ${fields}`);
    }
}

export function removeRepo(tenant: string, url: string, options: StackOptions, io: Io): void {
    const edit = openTenant(tenant, options.stack, options.root);
    const urls = entries(edit, "repos", "url");
    const index = urls.indexOf(url);
    if (index < 0) {
        throw new UsageError(`tenant "${tenant}" has no repository ${url} in Pulumi.${options.stack}.yaml; nothing was written; its repositories: ${urls.join(", ") || "(none)"}`);
    }
    const names = entries(edit, "applications", "name");
    const users = entries(edit, "applications", "repoURL").map((repo, i) => (repo === url ? names[i] : undefined)).filter((n): n is string => n !== undefined);
    if (users.length > 0) {
        throw new UsageError(`tenant "${tenant}" still deploys from ${url} (application${users.length === 1 ? "" : "s"} ${users.join(", ")}); nothing was written; remove ${users.length === 1 ? "it" : "them"} first: ${users.map((u) => `npm run tenant -- app remove ${tenant} ${u} --stack ${options.stack}`).join("; ")}`);
    }
    listOf(edit, "repos").delete(index);
    saveEdit(edit, edit.base, []);
    io.out(`removed repository ${url} from tenant "${tenant}" in Pulumi.${options.stack}.yaml`);
}

export function repoCommand(io: Io): Command {
    const repo = new Command("repo").description("add or remove a tenant's source repositories");
    repo.addCommand(withStackOptions(new Command("add"))
        .description("add a repository the tenant may deploy from")
        .argument("<tenant>", "tenant name")
        .argument("<url>", "repository URL (https://, ssh://, oci:// or git@host:path)")
        .addOption(new Option("--type <type>", "repository type (default: oci for oci://, else git)").choices(["git", "helm", "oci"]))
        .option("--credentials-vault-key <key>", `key in the tenant's Vault space holding the credentials of a private repo, under ${REPO_CREDENTIALS_PREFIX}, e.g. ${REPO_CREDENTIALS_PREFIX}team-a-apps`)
        .action((tenant: string, url: string, options: RepoAddOptions) => addRepo(tenant, url, options, io))
        .exitOverride());
    repo.addCommand(withStackOptions(new Command("remove"))
        .description("remove a repository no application of the tenant deploys from")
        .argument("<tenant>", "tenant name")
        .argument("<url>", "repository URL")
        .action((tenant: string, url: string, options: StackOptions) => removeRepo(tenant, url, options, io))
        .exitOverride());
    return repo;
}
