// `plan --diff`: the two sides of a comparison and the comparison itself.
//   --diff              the stack at the merge base of HEAD and the default branch, and as it is now
//   --diff <git-ref>    the stack at that commit (config and program), and as it is now
//   --diff <plan.json>  a plan saved with --format json, and the stack as it is now
//   --diff <a.json> --diff-to <b.json>   two saved plans (no --stack needed)
// A value of --diff that names an existing file is a saved plan; anything else is a git ref.
import * as fs from "fs";
import * as path from "path";
import type { Progress } from "../../progress";
import { PROJECT_ROOT, stackFilePath } from "../../stack-file";
import { DiffReport, Snapshot, diffSnapshots, readSavedPlan, snapshotOfRecorded } from "./snapshots";
import { PlanUsageError } from "../errors";
import { resolveRef, withCheckout, workTreeTop } from "./git";
import { record } from "../run";

export interface DiffOptions {
    /** Required unless both sides are saved plans. */
    stack?: string;
    /** Directory of the stack files. @default the project */
    root?: string;
    /** The checkout whose program (index.ts) is planned, at the ref and as it is. @default this project */
    project?: string;
    /** The older side: a git ref, a saved plan, or `true` for the merge base with the default branch. */
    base: string | true;
    /** The newer side as a saved plan; @default the stack as it is now */
    to?: string;
    progress?: Progress;
}

/** The label of the side planned from the files as they are. */
export const WORKING_TREE = "working tree";

export async function diffPlan(options: DiffOptions): Promise<DiffReport> {
    const root = path.resolve(options.root ?? PROJECT_ROOT);
    const project = path.resolve(options.project ?? PROJECT_ROOT);
    const baseIsFile = typeof options.base === "string" && fs.existsSync(options.base) && fs.statSync(options.base).isFile();
    if (options.to !== undefined && !(fs.existsSync(options.to) && fs.statSync(options.to).isFile())) {
        throw new PlanUsageError(`--diff-to ${options.to}: no such file; it takes a plan saved with --format json`);
    }
    if (options.to !== undefined && !baseIsFile) {
        throw new PlanUsageError(`--diff-to compares two saved plans; give the older one as --diff <plan.json>`);
    }
    if (options.stack === undefined && options.to === undefined) {
        throw new PlanUsageError(`required option '-s, --stack <name>' not specified (only a comparison of two saved plans, --diff <a.json> --diff-to <b.json>, needs none)`);
    }

    const after: Snapshot = options.to !== undefined ? readSavedPlan(options.to) : await current(options.stack!, root, project, options.progress);
    const before: Snapshot = baseIsFile ? readSavedPlan(options.base as string) : await atCommit(options.stack!, root, project, options.base === true ? undefined : options.base, after, options.progress);
    options.progress?.update("comparing the two plans");
    return diffSnapshots(before, after);
}

async function current(stack: string, root: string, project: string, progress?: Progress): Promise<Snapshot> {
    const recorded = await record(stack, { root, program: path.join(project, "index.ts"), progress });
    return snapshotOfRecorded(WORKING_TREE, stack, recorded.environment, recorded.planned.resources);
}

async function atCommit(stack: string, root: string, project: string, ref: string | undefined, now: Snapshot, progress?: Progress): Promise<Snapshot> {
    const top = workTreeTop(project);
    const realRoot = fs.realpathSync(root);
    const rootInTree = path.relative(top, realRoot);
    if (rootInTree.startsWith("..") || path.isAbsolute(rootInTree)) {
        throw new PlanUsageError(`--diff <git-ref> plans the stack files of --root ${root} at that commit, but ${root} is not inside this git checkout (${top}); compare saved plans instead (--diff <plan.json>)`);
    }
    const resolved = resolveRef(project, ref);
    progress?.update(`checking out ${resolved.label} into a temporary worktree`);
    return withCheckout(project, resolved.commit, async (checkout) => {
        const checkoutTop = path.resolve(checkout, path.relative(fs.realpathSync(project), top));
        const stackRoot = path.join(checkoutTop, rootInTree);
        if (!fs.existsSync(stackFilePath(stack, stackRoot))) {
            // A stack that did not exist then: everything it has now is new.
            return { label: `${resolved.label}, without Pulumi.${stack}.yaml`, stack, environment: now.environment, resources: [], recorded: true };
        }
        try {
            const recorded = await record(stack, { root: stackRoot, program: path.join(checkout, "index.ts"), validate: false, progress });
            return snapshotOfRecorded(resolved.label, stack, recorded.environment, recorded.planned.resources);
        } catch (error) {
            if (error instanceof PlanUsageError) throw new PlanUsageError(`at ${resolved.label}: ${error.message}`, error.problems);
            throw new PlanUsageError(`at ${resolved.label}: the program failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        }
    });
}
