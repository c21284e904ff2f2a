// `tenant remove <name>`: deletes a tenant's entry (and the comment above it) from the stack file.
import { Command } from "commander";
import type { YAMLSeq } from "yaml";
import { UsageError } from "./errors";
import { printImpact } from "./impact";
import { Io, StackOptions, withStackOptions } from "./options";
import { findTenant, openForEdit, save, tenantsSeq } from "./stack-document";

export async function removeTenant(name: string, options: StackOptions, io: Io): Promise<void> {
    const document = openForEdit(options.stack, options.root);
    const tenants = tenantsSeq(document.doc, false);
    const index = tenants ? findTenant(tenants, name) : -1;
    if (!tenants || index < 0) {
        throw new UsageError(`no tenant "${name}" in Pulumi.${options.stack}.yaml; nothing was written`);
    }
    if (index === 0) detachLeadingComment(tenants);
    tenants.delete(index);
    const config = save(document);
    io.out(`removed tenant "${name}" from Pulumi.${options.stack}.yaml`);
    if (config.platform.protectStatefulResources) {
        io.out(`note: stateful resources are protected in this stack; \`pulumi up\` refuses to delete the tenant's vCluster and Vault space until they are unprotected (or set state: decommissioned instead: npm run tenant -- set ${name} --state decommissioned --stack ${options.stack})`);
        await printImpact(document, name, "remove", io);
    }
}

/**
 * The yaml library keeps a comment above the first entry on the list itself, not on the entry.
 * Directly above the entry (no blank line between) it describes that entry and goes with it; a
 * part separated by a blank line is a heading for the whole list and stays.
 */
function detachLeadingComment(tenants: YAMLSeq): void {
    const comment = tenants.commentBefore;
    const first = tenants.items[0] as { spaceBefore?: boolean } | undefined;
    if (!comment || first?.spaceBefore) return;
    const lines = comment.split("\n");
    const blank = lines.lastIndexOf("");
    if (blank < 0) {
        tenants.commentBefore = undefined;
        return;
    }
    // Keep the heading, and hand the next entry's own comment to the list, where the library
    // expects the first entry's comment (and prints it back the same way).
    const heading = lines.slice(0, blank).join("\n");
    const next = tenants.items[1] as { commentBefore?: string } | undefined;
    tenants.commentBefore = next?.commentBefore ? `${heading}\n\n${next.commentBefore}` : heading;
    if (next) next.commentBefore = undefined;
}

export function removeCommand(io: Io): Command {
    return withStackOptions(new Command("remove"))
        .description("remove a tenant from a stack (consider `state: decommissioned` to keep its data)")
        .argument("<name>", "tenant name")
        .action((name: string, options: StackOptions) => removeTenant(name, options, io));
}
