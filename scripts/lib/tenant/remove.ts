// `tenant remove <name>`: deletes a tenant's entry (and the comment above it) from the stack file.
import { Command } from "commander";
import { UsageError } from "./errors";
import { Io, StackOptions, withStackOptions } from "./options";
import { findTenant, openStackDocument, save, tenantsSeq } from "./stack-document";

export function removeTenant(name: string, options: StackOptions, io: Io): void {
    const document = openStackDocument(options.stack, options.root);
    const tenants = tenantsSeq(document.doc, false);
    const index = tenants ? findTenant(tenants, name) : -1;
    if (!tenants || index < 0) {
        throw new UsageError(`no tenant "${name}" in Pulumi.${options.stack}.yaml; nothing was written`);
    }
    tenants.delete(index);
    save(document);
    io.out(`removed tenant "${name}" from Pulumi.${options.stack}.yaml; with protectStatefulResources, \`pulumi up\` refuses to delete its vCluster until you unprotect it`);
}

export function removeCommand(io: Io): Command {
    return withStackOptions(new Command("remove"))
        .description("remove a tenant from a stack (consider `state: decommissioned` to keep its data)")
        .argument("<name>", "tenant name")
        .action((name: string, options: StackOptions) => removeTenant(name, options, io));
}
