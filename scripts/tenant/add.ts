// `tenant add <name>`: appends a tenant entry (name, owner groups, repos) to the stack file.
import { Command } from "commander";
import type { RepoConfig } from "../../stacks/schema";
import { Io, StackOptions, collect, withStackOptions } from "./options";
import { FlagSetting, speakInFlags } from "./flags";
import { openForEdit, save, tenantsSeq } from "./stack-document";

/** Flag → the setting of the new entry it writes. */
const ADD_SETTINGS: FlagSetting[] = [
    { flag: "<name>", path: "name" },
    { flag: "--owner-group", path: "ownerGroups", required: `at least one SSO group that owns the tenant, e.g. --owner-group team-c-admins` },
    { flag: "--repo", path: "repos" },
];

export interface AddOptions extends StackOptions {
    repo: string[];
    ownerGroup: string[];
}

/** `oci://…` is an OCI registry; everything else (https, ssh, git@) a git repository. */
export function repoType(url: string): RepoConfig["type"] {
    return url.startsWith("oci://") ? "oci" : "git";
}

/** The entry `add` writes; defaults (quota, add-ons, state) stay implicit so they follow the environment. */
export function tenantEntry(name: string, ownerGroups: string[], repos: string[]): Record<string, unknown> {
    const entry: Record<string, unknown> = { name };
    if (ownerGroups.length > 0) entry.ownerGroups = ownerGroups;
    if (repos.length > 0) entry.repos = repos.map((url) => ({ url, type: repoType(url) }));
    return entry;
}

export function addTenant(name: string, options: AddOptions, io: Io): void {
    const document = openForEdit(options.stack, options.root);
    const tenants = tenantsSeq(document.doc, true)!;
    // Duplicates, reserved and malformed names are refused by the loader in save(), in its own words.
    // An empty `[]` becomes a block list: entries are multi-line mappings.
    if (tenants.items.length === 0) tenants.flow = false;
    tenants.add(document.doc.createNode(tenantEntry(name, options.ownerGroup, options.repo)));
    try {
        save(document);
    } catch (error) {
        throw speakInFlags(error, `tenants[${tenants.items.length - 1}]`, ADD_SETTINGS);
    }
    const repos = options.repo.length === 0 ? "no repos" : options.repo.map((r) => `${r} (${repoType(r)})`).join(", ");
    io.out(`added tenant "${name}" to Pulumi.${options.stack}.yaml: owner groups ${options.ownerGroup.join(", ")}; ${repos}`);
}

export function addCommand(io: Io): Command {
    return withStackOptions(new Command("add"))
        .description("add a tenant to a stack (then: tenant app add, tenant set)")
        .argument("<name>", "tenant name, a DNS-1123 label, e.g. team-c")
        .option("--repo <url>", "repository the tenant deploys from (repeatable); oci:// → type oci, else git", collect, [])
        .option("--owner-group <group>", "SSO group that owns the tenant (repeatable; at least one)", collect, [])
        .action((name: string, options: AddOptions) => addTenant(name, options, io));
}
