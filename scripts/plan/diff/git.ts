// The other side of `plan --diff <git-ref>`: the project as it is at a commit, checked out into a
// temporary `git worktree add --detach`, with this checkout's node_modules linked in (a worktree
// has none, and installing per run would take minutes). The worktree is removed when the work
// ends, also when it fails or the process is interrupted.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanUsageError } from "../errors";

function git(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
    const result = spawnSync("git", args, { cwd, encoding: "utf8" });
    if (result.error) throw new PlanUsageError(`--diff needs git: ${result.error.message}`);
    return { status: result.status ?? 1, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function gitOrFail(cwd: string, args: string[], what: string): string {
    const run = git(cwd, args);
    if (run.status !== 0) throw new PlanUsageError(`${what}: git ${args.join(" ")} failed: ${run.stderr || `exit ${run.status}`}`);
    return run.stdout;
}

/** The top of the git work tree holding `dir`. */
export function workTreeTop(dir: string): string {
    const run = git(dir, ["rev-parse", "--show-toplevel"]);
    if (run.status !== 0) throw new PlanUsageError(`--diff <git-ref> needs a git checkout, and ${dir} is not in one; compare saved plans instead (--diff <plan.json>)`);
    return fs.realpathSync(run.stdout);
}

/** The default branch: what origin/HEAD points at, else `main`. */
export function defaultBranch(cwd: string): string {
    const origin = git(cwd, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
    if (origin.status === 0 && origin.stdout) return origin.stdout;
    if (git(cwd, ["rev-parse", "--verify", "--quiet", "main^{commit}"]).status === 0) return "main";
    throw new PlanUsageError(`--diff without a ref compares with the merge base of the default branch, but this repository has neither origin/HEAD nor main; pass one, e.g. --diff origin/develop`);
}

export interface ResolvedRef {
    /** Full commit id. */
    commit: string;
    /** For people: `origin/main (1a2b3c4)`, `merge base of HEAD and main (1a2b3c4)`. */
    label: string;
}

/** The commit `--diff` compares with: the given ref, or the merge base of HEAD and the default branch. */
export function resolveRef(cwd: string, ref: string | undefined): ResolvedRef {
    if (ref === undefined) {
        const branch = defaultBranch(cwd);
        const commit = gitOrFail(cwd, ["merge-base", "HEAD", branch], `finding the merge base of HEAD and ${branch}`);
        return { commit, label: `merge base of HEAD and ${branch} (${commit.slice(0, 7)})` };
    }
    const run = git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    if (run.status !== 0 || !run.stdout) {
        throw new PlanUsageError(`--diff ${ref}: no such git commit, branch or tag here, and no such file; pass a ref (e.g. origin/main) or a plan saved with --format json`);
    }
    return { commit: run.stdout, label: `${ref} (${run.stdout.slice(0, 7)})` };
}

/** Directories of this checkout whose node_modules a worktree borrows. */
const MODULE_DIRS = [".", "policy-pack"];

/**
 * Runs `work` with the commit checked out at `<tmp>/tree`; `projectDir` is the project's place in
 * this work tree, and the work gets the project's place in the checkout.
 */
export async function withCheckout<T>(projectDir: string, commit: string, work: (checkoutProjectDir: string) => Promise<T>): Promise<T> {
    const top = workTreeTop(projectDir);
    const relative = path.relative(top, fs.realpathSync(projectDir));
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-diff-"));
    const tree = path.join(temp, "tree");
    let added = false;
    const cleanUp = () => {
        if (added) git(top, ["worktree", "remove", "--force", tree]);
        added = false;
        fs.rmSync(temp, { recursive: true, force: true });
        git(top, ["worktree", "prune"]);
    };
    // An interrupted run still removes its worktree, then ends as the signal would have.
    const onSignal = (signal: NodeJS.Signals) => {
        cleanUp();
        process.kill(process.pid, signal);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        gitOrFail(top, ["worktree", "add", "--detach", "--quiet", tree, commit], `checking out ${commit.slice(0, 7)}`);
        added = true;
        const checkout = path.join(tree, relative);
        for (const dir of MODULE_DIRS) {
            const modules = path.join(projectDir, dir, "node_modules");
            const target = path.join(checkout, dir, "node_modules");
            if (fs.existsSync(modules) && fs.existsSync(path.dirname(target)) && !fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(modules), target, "dir");
        }
        return await work(checkout);
    } finally {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        cleanUp();
    }
}
