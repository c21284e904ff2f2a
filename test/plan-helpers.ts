// Shared by the plan and tenant CLI specs: run a script as a child process, as a user would,
// over a temp copy of the stack files, so no test touches the repository's own files.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..");

export function runCli(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(ROOT, "scripts", script), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temp project root for the suite (made before its tests, removed after them), handed to `use`. */
export function withTempRoot(use: (dir: string) => void): void {
    let dir = "";
    before(() => { dir = tempRoot(); use(dir); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
}

/** A temp project root holding copies of the committed stack files. */
export function tempRoot(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-plan-"));
    for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    return dir;
}

