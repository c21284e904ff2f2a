// `tenant list`: the stack's tenants after defaults, as the program will see them.
import { Command, Option } from "commander";
import { Io, StackOptions, withStackOptions } from "./options";
import { openStackDocument, validate } from "./stack-document";

export function listTenants(options: StackOptions & { format?: string }, io: Io): void {
    const config = validate(openStackDocument(options.stack, options.root), false);
    if (options.format === "json") {
        io.out(JSON.stringify(config.tenants, null, 2));
        return;
    }
    if (config.tenants.length === 0) {
        io.out(`no tenants in Pulumi.${options.stack}.yaml`);
        return;
    }
    for (const t of config.tenants) {
        const addons = Object.entries(t.addons).filter(([, on]) => on).map(([a]) => a).join(",") || "-";
        io.out(`${t.name}\t${t.state}\towners=${t.ownerGroups.join(",")}\trepos=${t.repos.length}\tapps=${t.applications.length}\taddons=${addons}`);
    }
}

export function listCommand(io: Io): Command {
    return withStackOptions(new Command("list"), "read")
        .description("list a stack's tenants (with environment defaults applied)")
        .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
        .action((options: StackOptions & { format?: string }) => listTenants(options, io));
}
