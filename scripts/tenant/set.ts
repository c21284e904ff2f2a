// `tenant set <name>`: changes a tenant's quota, Kubernetes version, add-ons, exposure, owners or
// state in place. Each flag writes exactly one setting (SETTINGS below), so the loader's refusal
// of a value is reported under the flag that gave it.
import { Command, InvalidArgumentError, Option } from "commander";
import { ADDONS } from "../../stacks/schema";
import { UsageError } from "./errors";
import { openTenant, saveEdit, setList, setSetting } from "./edit";
import type { FlagSetting } from "./flags";
import { printImpact } from "./impact";
import { Io, StackOptions, collect, withStackOptions } from "./options";

export interface SetOptions extends StackOptions {
    cpu?: string;
    memory?: string;
    pods?: number;
    storageGib?: number;
    kubernetesVersion?: string;
    enableAddon: string[];
    disableAddon: string[];
    exposure?: "enabled" | "disabled";
    state?: "active" | "decommissioned";
    ownerGroup: string[];
}

/** Flag → the setting below the tenant's entry it writes. */
export const SETTINGS: FlagSetting[] = [
    { flag: "<name>", path: "name" },
    { flag: "--cpu", path: "vcluster.quota.cpu" },
    { flag: "--memory", path: "vcluster.quota.memory" },
    { flag: "--pods", path: "vcluster.quota.pods" },
    { flag: "--storage-gib", path: "vcluster.quota.storageGiB" },
    { flag: "--kubernetes-version", path: "vcluster.kubernetesVersion" },
    ...ADDONS.map((addon) => ({ flag: `--enable-addon/--disable-addon ${addon}`, path: /^[A-Za-z_]\w*$/.test(addon) ? `addons.${addon}` : `addons["${addon}"]` })),
    { flag: "--exposure", path: "exposure.enabled" },
    { flag: "--state", path: "state" },
    { flag: "--owner-group", path: "ownerGroups", required: `at least one SSO group that owns the tenant, e.g. --owner-group team-c-admins` },
];

function wholeNumber(value: string): number {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" must be a whole number, e.g. 50`);
    return Number(value);
}

function addonList(value: string, previous: string[]): string[] {
    if (!(ADDONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`"${value}" is not an add-on; add-ons: ${ADDONS.join(", ")}`);
    return collect(value, previous);
}

export async function setTenant(name: string, options: SetOptions, io: Io): Promise<void> {
    const clash = options.enableAddon.filter((a) => options.disableAddon.includes(a));
    if (clash.length > 0) throw new UsageError(`--enable-addon and --disable-addon both name ${clash.join(", ")}; pass one of them`);
    const edit = openTenant(name, options.stack, options.root);
    const changes: string[] = [];
    const set = (path: string[], value: string | number | boolean) => {
        setSetting(edit, path, value);
        changes.push(`${path.join(".")} ${JSON.stringify(value)}`);
    };
    if (options.cpu !== undefined) set(["vcluster", "quota", "cpu"], options.cpu);
    if (options.memory !== undefined) set(["vcluster", "quota", "memory"], options.memory);
    if (options.pods !== undefined) set(["vcluster", "quota", "pods"], options.pods);
    if (options.storageGib !== undefined) set(["vcluster", "quota", "storageGiB"], options.storageGib);
    if (options.kubernetesVersion !== undefined) set(["vcluster", "kubernetesVersion"], options.kubernetesVersion);
    for (const addon of options.enableAddon) set(["addons", addon], true);
    for (const addon of options.disableAddon) set(["addons", addon], false);
    if (options.exposure !== undefined) set(["exposure", "enabled"], options.exposure === "enabled");
    if (options.ownerGroup.length > 0) {
        setList(edit, ["ownerGroups"], options.ownerGroup);
        changes.push(`ownerGroups ${JSON.stringify(options.ownerGroup)}`);
    }
    if (options.state !== undefined) set(["state"], options.state);
    if (changes.length === 0) {
        throw new UsageError(`nothing to set for tenant "${name}"; pass at least one of ${SETTINGS.filter((s) => s.flag.startsWith("--")).map((s) => s.flag.split(" ")[0]).filter((f, i, all) => all.indexOf(f) === i).join(", ")}`);
    }
    const config = saveEdit(edit, edit.base, SETTINGS);
    io.out(`set on tenant "${name}" in Pulumi.${options.stack}.yaml: ${changes.join(", ")}`);
    if (options.state === "decommissioned") {
        if (config.platform.protectStatefulResources) {
            await printImpact(edit.document, name, "decommission", io);
        } else {
            io.out(`note: the next \`pulumi up -s ${options.stack}\` removes the tenant's grants (AppProject, Applications, Argo CD registration, Vault policies and roles); its namespace, vCluster and Vault mount stay; --state active restores the grants`);
        }
    }
}

export function setCommand(io: Io): Command {
    return withStackOptions(new Command("set"))
        .description("change a tenant's quota, Kubernetes version, add-ons, exposure, owners or state")
        .argument("<name>", "tenant name")
        .option("--cpu <quantity>", "vCluster quota: CPU, a Kubernetes quantity, e.g. 4 or 500m")
        .option("--memory <quantity>", "vCluster quota: memory, e.g. 8Gi")
        .option("--pods <count>", "vCluster quota: pods", wholeNumber)
        .option("--storage-gib <GiB>", "vCluster quota: persistent storage in GiB", wholeNumber)
        .option("--kubernetes-version <minor>", "Kubernetes minor version of the vCluster, e.g. 1.33")
        .option("--enable-addon <addon>", `switch an add-on on (repeatable): ${ADDONS.join(", ")}`, addonList, [])
        .option("--disable-addon <addon>", `switch an add-on off (repeatable): ${ADDONS.join(", ")}`, addonList, [])
        .addOption(new Option("--exposure <enabled|disabled>", "whether the vCluster API is reachable from outside the hub").choices(["enabled", "disabled"]))
        .addOption(new Option("--state <state>", "decommissioned removes every grant and keeps the vCluster and data; active restores them").choices(["active", "decommissioned"]))
        .option("--owner-group <group>", "SSO group that owns the tenant; replaces the list (repeatable)", collect, [])
        .action((name: string, options: SetOptions) => setTenant(name, options, io));
}
