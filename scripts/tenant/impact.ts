// What an edit that puts a tenant's data at risk does in a stack that protects stateful resources
// (prod): the program is run offline on the stack file before and after the edit, and the two
// plans compared (the same comparison as `plan --diff`), so what is printed is what the program
// registers, not a description of it.
import { parseDocument } from "yaml";
import { tenantNames } from "../../components/tenant/naming";
import { diffSnapshots, snapshotOfRecorded } from "../plan/diff/snapshots";
import { RecordedStack, record } from "../plan/run";
import { TENANT_TYPE } from "../plan/provenance";
import { Progress } from "../progress";
import type { RecordedResource } from "../recorder";
import { OPAQUE_SECRET, StackFile } from "../stack-file";
import type { Io } from "./options";
import { StackDocument, rawConfigOf, render } from "./stack-document";

function stackFileOf(document: StackDocument, text: string): StackFile {
    const { values, secretsSet } = rawConfigOf(parseDocument(text));
    return { stack: document.stack, file: document.file, config: values, secrets: Object.fromEntries([...secretsSet].map((k) => [k, OPAQUE_SECRET])) };
}

function ofTenant(recorded: RecordedStack, tenant: string): RecordedResource[] {
    const { byUrn } = recorded.planned;
    const belongs = (r: RecordedResource): boolean => {
        for (let at: RecordedResource | undefined = r; at; at = at.parent ? byUrn.get(at.parent) : undefined) {
            if (at.type === TENANT_TYPE) return at.name === tenant && at !== r;
        }
        return false;
    };
    return recorded.planned.resources.filter(belongs);
}

const label = (r: { type: string; name: string }) => `${r.type} ${r.name}`;

/** Prints what `pulumi up` would delete and keep of the tenant, and what to run next. */
export async function printImpact(document: StackDocument, tenant: string, kind: "decommission" | "remove", io: Io): Promise<void> {
    const progress = new Progress("tenant");
    const files = (text: string) => ({ [document.stack]: stackFileOf(document, text) });
    let before: RecordedStack;
    let after: RecordedStack;
    try {
        before = await record(document.stack, { root: document.root, files: files(document.source), progress });
        after = await record(document.stack, { root: document.root, files: files(render(document)), progress });
    } finally {
        progress.done();
    }
    const report = diffSnapshots(
        snapshotOfRecorded("before", document.stack, before.environment, before.planned.resources),
        snapshotOfRecorded("after", document.stack, after.environment, after.planned.resources),
    );
    const owned = ofTenant(before, tenant);
    const urns = new Set(owned.map((r) => r.urn));
    const deleted = report.resources.filter((r) => r.change === "delete" && urns.has(r.urn));
    const gone = new Set(deleted.map((r) => r.urn));
    const kept = owned.filter((r) => !gone.has(r.urn)).sort((a, b) => a.name.localeCompare(b.name));
    const names = tenantNames(tenant);
    const up = `pulumi up -s ${document.stack}`;
    io.out(`what \`${up}\` does then (offline plans of Pulumi.${document.stack}.yaml before and after this edit):`);
    if (kind === "decommission") {
        io.out(`  deletes ${deleted.length} grant${deleted.length === 1 ? "" : "s"} of "${tenant}":`);
        for (const r of deleted) io.out(`    - ${label(r)}`);
        io.out(`  keeps, protected from deletion${kept.some((k) => k.protect && k.retainOnDelete) ? " and retained if ever deleted" : ""}:`);
        for (const r of kept.filter((k) => k.protect)) io.out(`    = ${label(r)}`);
        io.out(`  keeps, not protected:`);
        for (const r of kept.filter((k) => !k.protect)) io.out(`    = ${label(r)}`);
        io.out(`next: review with \`npm run plan -- --stack ${document.stack} --diff\`, then \`${up}\`; \`npm run tenant -- set ${tenant} --state active --stack ${document.stack}\` restores every grant`);
        return;
    }
    const guarded = deleted.filter((r) => r.protect);
    io.out(`  deletes ${deleted.length} resource${deleted.length === 1 ? "" : "s"} of "${tenant}"; ${guarded.length} of them are protected, and \`${up}\` stops at them:`);
    for (const r of guarded) io.out(`    ! ${label(r)}${r.retainOnDelete ? " (retained on delete)" : ""}`);
    io.out(`next:`);
    io.out(`  1. review: npm run plan -- --stack ${document.stack} --diff`);
    if (guarded.length > 0) {
        io.out(`  2. unprotect what the stack protects, if the team's data really goes:`);
        for (const r of guarded) io.out(`       pulumi state unprotect -s ${document.stack} '${r.urn}'`);
        io.out(`  3. ${up}`);
        if (guarded.some((r) => r.retainOnDelete)) {
            io.out(`  4. retained resources stay after \`pulumi up\`; remove them by hand: kubectl delete namespace ${names.namespace} (the vCluster goes with it); vault secrets disable ${names.vaultMount}`);
        }
    } else {
        io.out(`  2. ${up}`);
    }
}
