// `plan --diff`: two plans compared per resource. The comparison itself on exact inputs; the real
// program on two in-memory configs (a decommissioned tenant: Vault resources and chart values
// included); the git side in a throwaway repository with a small program of its own (temporary
// worktree, merge base, origin/HEAD, clean-up also on failure); saved JSON plans through the CLI.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { DiffReport, Snapshot, SnapshotResource, diffSnapshots, snapshotOfRecorded } from "../scripts/plan/diff/snapshots";
import { renderDiffJson, renderDiffMarkdown, renderDiffText, summarizeDiff } from "../scripts/plan/diff/render";
import { diffPlan } from "../scripts/plan/diff/run";
import { PlanUsageError } from "../scripts/plan/errors";
import { record } from "../scripts/plan/run";
import { SecretValue } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { ROOT, runCli, tempRoot } from "./plan-helpers";

const urn = (type: string, name: string, stack = "dev", parent = "") => `urn:pulumi:${stack}::gitops-hub::${parent ? `${parent}$` : ""}${type}::${name}`;

function resource(name: string, inputs: Record<string, unknown>, extra: Partial<SnapshotResource> = {}): SnapshotResource {
    const type = extra.type ?? "kubernetes:core/v1:ConfigMap";
    return { urn: urn(type, name), type, name, protect: false, retainOnDelete: false, aliases: [], inputs, secretPaths: [], ...extra };
}

const side = (label: string, resources: SnapshotResource[], recorded = true, stack = "dev"): Snapshot => ({ label, stack, environment: "dev", resources, recorded });

describe("plan --diff", function () {
    this.timeout(300_000);

    describe("the comparison", () => {
        it("lists added, deleted and changed resources with each changed input path and its old and new value", () => {
            const report = diffSnapshots(
                side("before", [
                    resource("same", { data: { a: "1" } }),
                    resource("changed", { metadata: { labels: { "gitops-hub.io/tenant-state": "active" } }, spec: { sourceRepos: ["https://a.git"] }, keep: 1 }),
                    resource("gone", { data: {} }, { protect: true, retainOnDelete: true }),
                ]),
                side("after", [
                    resource("same", { data: { a: "1" } }),
                    resource("changed", { metadata: { labels: { "gitops-hub.io/tenant-state": "decommissioned" } }, spec: { sourceRepos: ["https://a.git", "https://b.git"] }, keep: 1, extra: { x: true } }),
                    resource("new", { data: {} }),
                ]),
            );
            expect(report.unchanged).to.equal(1);
            expect(report.resources).to.deep.equal([
                {
                    change: "update", urn: urn("kubernetes:core/v1:ConfigMap", "changed"), type: "kubernetes:core/v1:ConfigMap", name: "changed", protect: false, retainOnDelete: false,
                    changes: [
                        { path: "extra", after: { x: true } },
                        { path: `metadata.labels["gitops-hub.io/tenant-state"]`, before: "active", after: "decommissioned" },
                        { path: "spec.sourceRepos[1]", after: "https://b.git" },
                    ],
                },
                { change: "delete", urn: urn("kubernetes:core/v1:ConfigMap", "gone"), type: "kubernetes:core/v1:ConfigMap", name: "gone", protect: true, retainOnDelete: true, changes: [] },
                { change: "add", urn: urn("kubernetes:core/v1:ConfigMap", "new"), type: "kubernetes:core/v1:ConfigMap", name: "new", protect: false, retainOnDelete: false, changes: [] },
            ]);
            expect(summarizeDiff(report)).to.deep.equal({ add: 1, delete: 1, update: 1, unchanged: 1, protectedDeletes: 1 });
            expect(renderDiffText(report)).to.equal([
                "Offline diff of stack \"dev\" (environment dev): before → after",
                "",
                "~ kubernetes:core/v1:ConfigMap  changed",
                "      extra: (absent) → {\"x\":true}",
                "      metadata.labels[\"gitops-hub.io/tenant-state\"]: \"active\" → \"decommissioned\"",
                "      spec.sourceRepos[1]: (absent) → \"https://b.git\"",
                "- kubernetes:core/v1:ConfigMap  gone  [PROTECTED: `pulumi up` stops here until `pulumi state unprotect` is run for it; retained on delete: it stays in the cluster or Vault]",
                "+ kubernetes:core/v1:ConfigMap  new",
                "",
                "1 to add, 1 to delete (1 protected), 1 to change, 1 unchanged",
                "",
            ].join("\n"));
        });

        it("reports changed resource options (protect, retainOnDelete)", () => {
            const report = diffSnapshots(side("a", [resource("ns", {}, { protect: false })]), side("b", [resource("ns", {}, { protect: true, retainOnDelete: true })]));
            expect(report.resources[0].changes).to.deep.equal([
                { path: "protect", before: false, after: true, option: true },
                { path: "retainOnDelete", before: false, after: true, option: true },
            ]);
            expect(renderDiffText(report)).to.contain("      resource option protect: false → true\n");
        });

        it("never prints a secret: a changed secret of two recorded plans shows as [secret] → [secret]", () => {
            const token = "hvs.never-printed-1";
            const report = diffSnapshots(
                side("a", [resource("provider", { token: new SecretValue(token), address: "http://a" }, { secretPaths: ["token"] })]),
                side("b", [resource("provider", { token: new SecretValue("hvs.never-printed-2"), address: "http://a" }, { secretPaths: ["token"] })]),
            );
            expect(report.resources[0].changes).to.deep.equal([{ path: "token", before: "[secret]", after: "[secret]", secret: true }]);
            const printed = [renderDiffText(report), renderDiffJson(report), renderDiffMarkdown(report)].join("\n");
            expect(printed).not.to.contain("never-printed");
            expect(printed).to.contain(`token: "[secret]" → "[secret]" (secret; value not shown)`);
        });

        it("between saved plans, which hold no secret value, sees a secret appear or go but not change", () => {
            const saved = (inputs: Record<string, unknown>, secretPaths: string[]) => side("saved", [resource("provider", inputs, { secretPaths })], false);
            expect(diffSnapshots(saved({ token: "[secret]" }, ["token"]), saved({ token: "[secret]" }, ["token"])).unchanged).to.equal(1);
            expect(diffSnapshots(saved({}, []), saved({ token: "[secret]" }, ["token"])).resources[0].changes).to.deep.equal([{ path: "token", after: "[secret]", secret: true }]);
            // A subtree that appears with a secret inside is masked as a whole.
            const nested = diffSnapshots(saved({}, []), saved({ values: { server: { dev: { devRootToken: "[secret]", enabled: true } } } }, ["values.server.dev.devRootToken"]));
            expect(nested.resources[0].changes).to.deep.equal([{ path: "values", after: "[secret]", secret: true }]);
        });

        it("pairs a renamed resource with the URN its alias names, and compares it", () => {
            const old = resource("old-name", { data: { a: "1" } });
            const renamed = resource("new-name", { data: { a: "2" } }, { aliases: [old.urn] });
            const report = diffSnapshots(side("a", [old]), side("b", [renamed]));
            expect(report.resources).to.deep.equal([{ ...pick(renamed), change: "update", renamedFrom: old.urn, changes: [{ path: "data.a", before: "1", after: "2" }] }]);
            const bySpec = resource("new-name", { data: { a: "1" } }, { aliases: [JSON.stringify({ urn: "", spec: { name: "old-name", type: "", stack: "", project: "", parenturn: "", noparent: false } })] });
            expect(diffSnapshots(side("a", [old]), side("b", [bySpec])).resources.map((r) => [r.change, r.renamedFrom])).to.deep.equal([["update", old.urn]]);
        });

        it("compares two stacks' plans by URN without the stack", () => {
            const report = diffSnapshots(side("dev", [resource("x", { a: 1 })], true, "dev"), side("prod", [{ ...resource("x", { a: 2 }), urn: urn("kubernetes:core/v1:ConfigMap", "x", "prod") }], true, "prod"));
            expect(report.resources.map((r) => [r.change, r.changes])).to.deep.equal([["update", [{ path: "a", before: 1, after: 2 }]]]);
            expect(renderDiffText(report).split("\n")[0]).to.equal(`Offline diff of stack "dev" → stack "prod": dev → prod`);
        });
    });

    describe("the real program, decommissioning a tenant (two in-memory configs)", () => {
        let report: DiffReport;
        before(async () => {
            const file = readStackFile("dev");
            const decommissioned = structuredClone(file.config) as { tenants: Record<string, unknown>[] };
            decommissioned.tenants[1].state = "decommissioned";
            (decommissioned.tenants[0] as { vcluster?: unknown }).vcluster = { quota: { cpu: "3" } };
            const before = await record("dev", { files: { dev: file } });
            const after = await record("dev", { files: { dev: { ...file, config: decommissioned } } });
            report = diffSnapshots(
                snapshotOfRecorded("committed", "dev", before.environment, before.planned.resources),
                snapshotOfRecorded("edited", "dev", after.environment, after.planned.resources),
            );
        });

        it("deletes every grant of the tenant, Vault policies and roles included, and keeps its namespace, vCluster and mount", () => {
            const deleted = report.resources.filter((r) => r.change === "delete").map((r) => r.name);
            expect(deleted).to.include.members(["team-b-project", "team-b-app.api", "team-b-cluster-secret", "team-b-vault-policy", "team-b-vault-role", "team-b-repo-policy", "team-b-repo-role", "team-b-secret-store"]);
            expect(deleted.every((n) => n.startsWith("team-b-"))).to.equal(true);
            expect(deleted).not.to.include.members(["team-b-namespace"]);
            expect(report.resources.filter((r) => ["team-b-vcluster", "team-b-vault-mount"].includes(r.name))).to.deep.equal([]);
            const namespace = report.resources.find((r) => r.name === "team-b-namespace")!;
            expect(namespace.changes).to.deep.equal([{ path: `metadata.labels["gitops-hub.io/tenant-state"]`, before: "active", after: "decommissioned" }]);
        });

        it("shows a chart's values by path", () => {
            const vcluster = report.resources.find((r) => r.name === "team-a-vcluster")!;
            expect(vcluster.change).to.equal("update");
            expect(vcluster.changes.map((c) => c.path)).to.include(`values.policies.resourceQuota.quota["requests.cpu"]`);
            expect(vcluster.changes.find((c) => c.path === `values.policies.resourceQuota.quota["requests.cpu"]`)).to.deep.equal({ path: `values.policies.resourceQuota.quota["requests.cpu"]`, before: "2", after: "3" });
        });

        it("renders Markdown for a pull-request comment: summary, one row per resource", () => {
            const markdown = renderDiffMarkdown(report);
            const s = summarizeDiff(report);
            expect(markdown.split("\n").slice(0, 3)).to.deep.equal(["### 📝 Offline diff: stack `dev`", "", `committed → edited: **${s.add} to add, ${s.delete} to delete (0 protected), ${s.update} to change, ${s.unchanged} unchanged**`]);
            expect(markdown).to.contain("| − | `team-b-project` | `kubernetes:argoproj.io/v1alpha1:AppProject` |  |\n");
            expect(markdown).to.contain("| ~ | `team-b-namespace` | `kubernetes:core/v1:Namespace` | `metadata.labels[\"gitops-hub.io/tenant-state\"]: \"active\" → \"decommissioned\"` |\n");
        });
    });

    describe("against a git ref (a throwaway repository with a program of its own)", () => {
        let repo: string;
        const git = (...args: string[]) => {
            const run = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
            expect(run.status, `git ${args.join(" ")}: ${run.stderr}`).to.equal(0);
            return run.stdout.trim();
        };
        const devYaml = () => parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
        const writeStack = (change: (doc: any) => void) => {
            const doc = devYaml();
            change(doc);
            fs.writeFileSync(path.join(repo, "Pulumi.dev.yaml"), stringify(doc));
        };
        // One marker per tenant with its state; team-a's is protected and retained.
        const PROGRAM = [
            `import * as pulumi from "@pulumi/pulumi";`,
            `class Marker extends pulumi.CustomResource { constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) { super("fixture:index:Marker", name, props, opts); } }`,
            `const tenants = new pulumi.Config("gitops-hub").requireObject<{ name: string; state?: string }[]>("tenants");`,
            `for (const t of tenants) new Marker(t.name, { state: t.state ?? "active" }, { protect: t.name === "team-a", retainOnDelete: t.name === "team-a" });`,
            `export const environment = "dev";`,
            ``,
        ].join("\n");
        const worktrees = () => git("worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree ")).length;
        const leftovers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("gitops-hub-diff-"));

        beforeEach(() => {
            repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-diff-spec-")));
            git("init", "--quiet", "--initial-branch", "main");
            git("config", "user.email", "spec@example.com");
            git("config", "user.name", "spec");
            fs.writeFileSync(path.join(repo, "index.ts"), PROGRAM);
            fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
            writeStack(() => undefined);
            git("add", ".");
            git("commit", "--quiet", "-m", "base");
        });
        afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

        it("plans the ref from a temporary worktree and the stack as it is, and removes the worktree", async () => {
            const before = leftovers();
            writeStack((doc) => { doc.config["gitops-hub:tenants"].splice(0, 1); doc.config["gitops-hub:tenants"][0].state = "decommissioned"; });
            const report = await diffPlan({ stack: "dev", root: repo, project: repo, base: "HEAD" });
            expect(report.before.label).to.equal(`HEAD (${git("rev-parse", "--short=7", "HEAD")})`);
            expect(report.after.label).to.equal("working tree");
            expect(report.resources.map((r) => [r.change, r.name, r.protect, r.changes])).to.deep.equal([
                ["delete", "team-a", true, []],
                ["update", "team-b", false, [{ path: "state", before: "active", after: "decommissioned" }]],
            ]);
            expect(renderDiffText(report)).to.contain("- fixture:index:Marker  team-a  [PROTECTED: `pulumi up` stops here until `pulumi state unprotect` is run for it; retained on delete: it stays in the cluster or Vault]\n");
            expect(worktrees()).to.equal(1);
            expect(leftovers()).to.deep.equal(before);
        });

        it("defaults to the merge base of HEAD and main, and prefers origin/HEAD when it exists", async () => {
            const base = git("rev-parse", "HEAD");
            git("checkout", "--quiet", "-b", "feature");
            writeStack((doc) => { doc.config["gitops-hub:tenants"][1].state = "decommissioned"; });
            git("commit", "--quiet", "-am", "decommission team-b");
            git("checkout", "--quiet", "main");
            writeStack((doc) => { doc.config["gitops-hub:tenants"][0].state = "decommissioned"; });
            git("commit", "--quiet", "-am", "main moves on");
            git("checkout", "--quiet", "feature");
            const report = await diffPlan({ stack: "dev", root: repo, project: repo, base: true });
            expect(report.before.label).to.equal(`merge base of HEAD and main (${base.slice(0, 7)})`);
            expect(report.resources.map((r) => [r.change, r.name])).to.deep.equal([["update", "team-b"]]);
            git("update-ref", "refs/remotes/origin/trunk", base);
            git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");
            expect((await diffPlan({ stack: "dev", root: repo, project: repo, base: true })).before.label).to.equal(`merge base of HEAD and origin/trunk (${base.slice(0, 7)})`);
        });

        it("counts a stack that did not exist at the ref as all new", async () => {
            fs.copyFileSync(path.join(repo, "Pulumi.dev.yaml"), path.join(repo, "Pulumi.qa.yaml"));
            const report = await diffPlan({ stack: "qa", root: repo, project: repo, base: "HEAD" });
            expect(report.before.label).to.match(/^HEAD \([0-9a-f]{7}\), without Pulumi\.qa\.yaml$/);
            expect(report.resources.map((r) => [r.change, r.name])).to.deep.equal([["add", "team-a"], ["add", "team-b"]]);
        });

        it("fails on an unknown ref, and when the program at the ref fails, and still removes the worktree", async () => {
            const before = leftovers();
            let error = await diffPlan({ stack: "dev", root: repo, project: repo, base: "no-such-ref" }).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(PlanUsageError);
            expect((error as Error).message).to.equal("--diff no-such-ref: no such git commit, branch or tag here, and no such file; pass a ref (e.g. origin/main) or a plan saved with --format json");
            fs.writeFileSync(path.join(repo, "index.ts"), `${PROGRAM}throw new Error("broken at this commit");\n`);
            git("commit", "--quiet", "-am", "broken");
            fs.writeFileSync(path.join(repo, "index.ts"), PROGRAM);
            error = await diffPlan({ stack: "dev", root: repo, project: repo, base: "HEAD" }).catch((e: unknown) => e);
            expect((error as Error).message).to.match(/^at HEAD \([0-9a-f]{7}\): the program failed: broken at this commit$/);
            expect(worktrees()).to.equal(1);
            expect(leftovers()).to.deep.equal(before);
        });

        it("fails for a --root outside the git checkout", async () => {
            const outside = tempRoot();
            try {
                const error = await diffPlan({ stack: "dev", root: outside, project: repo, base: "HEAD" }).catch((e: unknown) => e);
                expect((error as Error).message).to.equal(`--diff <git-ref> plans the stack files of --root ${outside} at that commit, but ${outside} is not inside this git checkout (${repo}); compare saved plans instead (--diff <plan.json>)`);
            } finally {
                fs.rmSync(outside, { recursive: true, force: true });
            }
        });
    });

    describe("saved plans, through the CLI", () => {
        let root: string;
        before(() => { root = tempRoot(); });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        it("saves inputs in --format json, and compares a saved plan with the stack now, or with a second saved plan", () => {
            const first = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--format", "json"]);
            expect(first.status, first.stderr).to.equal(0);
            const saved = JSON.parse(first.stdout);
            const policy = saved.resources.find((r: { name: string }) => r.name === "team-a-vault-policy");
            expect(policy).to.deep.include({ type: "vault:index/policy:Policy", protect: false, secretPaths: [] });
            expect(policy.inputs.name).to.equal("tenant-team-a");
            fs.writeFileSync(path.join(root, "a.json"), first.stdout);
            const file = path.join(root, "Pulumi.dev.yaml");
            fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("    - name: team-b\n", "    - name: team-b\n      state: decommissioned\n"));
            const now = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--diff", path.join(root, "a.json")]);
            expect(now.stderr).to.equal("");
            expect(now.status).to.equal(0);
            expect(now.stdout.split("\n")[0]).to.equal(`Offline diff of stack "dev" (environment dev): ${path.join(root, "a.json")} → working tree`);
            expect(now.stdout).to.contain(`~ kubernetes:core/v1:Namespace                         team-b-namespace\n      metadata.labels["gitops-hub.io/tenant-state"]: "active" → "decommissioned"\n`);
            // team-b's 16 grants go, its namespace changes, everything else stays.
            const unchanged = saved.resources.length - 17;
            expect(now.stdout.endsWith(`\n0 to add, 16 to delete (0 protected), 1 to change, ${unchanged} unchanged\n`), now.stdout.slice(-200)).to.equal(true);
            const second = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--format", "json"]);
            fs.writeFileSync(path.join(root, "b.json"), second.stdout);
            const files = runCli("plan/main.ts", ["--diff", path.join(root, "a.json"), "--diff-to", path.join(root, "b.json"), "--format", "json"]);
            expect(files.status, files.stderr).to.equal(0);
            expect(JSON.parse(files.stdout).summary).to.deep.equal({ add: 0, delete: 16, update: 1, unchanged, protectedDeletes: 0 });
        });

        it("fails on a plan saved without inputs, on --diff-to without a saved --diff, and combined with --out (exit 2)", () => {
            fs.writeFileSync(path.join(root, "old.json"), JSON.stringify({ stack: "dev", environment: "dev", violations: [] }));
            const old = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--diff", path.join(root, "old.json")]);
            expect(old.status).to.equal(2);
            expect(old.stderr).to.equal(`error: ${path.join(root, "old.json")} has no "resources": it was saved by an older \`npm run plan --format json\`, which did not save inputs; save it again from that commit with this version of the planner\n`);
            const to = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--diff-to", path.join(root, "old.json")]);
            expect(to.status).to.equal(2);
            expect(to.stderr).to.equal("error: --diff-to needs --diff <plan.json>, the older of the two saved plans\n");
            const out = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--diff", "--out", path.join(root, "x")]);
            expect(out.status).to.equal(2);
            expect(out.stderr).to.equal("error: --diff compares two plans; --out shapes the output of one plan and cannot be combined with it\n");
            const stack = runCli("plan/main.ts", ["--diff", path.join(root, "old.json")]);
            expect(stack.status).to.equal(2);
            expect(stack.stderr).to.match(/^error: required option '-s, --stack <name>' not specified/);
        });
    });
});

function pick(r: SnapshotResource) {
    return { urn: r.urn, type: r.type, name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete };
}
