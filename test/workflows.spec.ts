// The GitHub workflows: they parse, pin every action to an exact version, take secrets only
// from `secrets.*`, and every stack and policy-pack config they name exists. The pull-request
// workflow plans every stack offline; the deploy workflow goes dev → prod behind `production`.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parseDocument } from "yaml";
import { listStacks } from "../scripts/stack-file";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string>; name?: string }

/** The job that runs the test suite the README names (.ci/run: npm ci, the pinned tools, npm test). */
function expectTestSuiteJob(job: Job | undefined): void {
    expect(job, "a test job").not.to.equal(undefined);
    const steps = job!.steps;
    expect(steps[0].uses).to.match(/^actions\/checkout@/);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!.with).to.deep.equal({ "node-version": "20", cache: "npm" });
    // .ci/run builds helm and the Kyverno CLI with Go; the Go of their go.mod (1.24.x).
    expect(String(steps.find((s) => s.uses?.startsWith("actions/setup-go@"))!.with!["go-version"])).to.match(/^1\.24\.\d+$/);
    expect(steps.find((s) => s.uses?.startsWith("actions/cache@"))!.with).to.deep.equal({ path: ".tools", key: "tools-${{ runner.os }}-${{ hashFiles('components/versions.ts') }}" });
    expect(steps[steps.length - 1].run).to.equal(".ci/run");
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(ci).to.match(/^npm test$/m);
    expect(ci).to.match(/^export GITOPS_HUB_REQUIRE_TOOLS=1$/m);
}
interface Job {
    "runs-on": string; needs?: string | string[]; environment?: string; env?: Record<string, string>; steps: Step[];
    strategy?: { matrix: { include: Record<string, string>[] } }; permissions?: Record<string, string>;
}
interface Workflow { name: string; on: Record<string, unknown>; jobs: Record<string, Job>; permissions?: Record<string, string> }

function load(name: string): Workflow {
    const doc = parseDocument(fs.readFileSync(path.join(WORKFLOWS, name), "utf8"));
    expect(doc.errors.map((e) => e.message), name).to.deep.equal([]);
    return doc.toJS() as Workflow;
}

/** A job's env with `${{ matrix.x }}` filled in, once per matrix entry. */
function envs(job: Job): Record<string, string>[] {
    const entries = job.strategy?.matrix.include ?? [{}];
    return entries.map((entry) => Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) =>
        [k, String(v).replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => entry[key] ?? `<no matrix.${key}>`)])));
}

const SECRET_NAMES = /TOKEN|PASSPHRASE|KUBECONFIG|BACKEND_URL|PASSWORD|KEY/;

describe("GitHub workflows", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
    const workflows = new Map(files.map((f) => [f, load(f)]));

    it("are exactly pull-request.yml and deploy.yml, and parse", () => {
        expect(files).to.deep.equal(["deploy.yml", "pull-request.yml"]);
    });

    it("pin every action to an exact version tag", () => {
        const uses = [...workflows.values()].flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined)));
        expect(uses.length).to.be.greaterThan(8);
        for (const use of uses) expect(use).to.match(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+\.\d+\.\d+$/);
    });

    it("take secrets only from secrets.*", () => {
        for (const [file, workflow] of workflows) {
            for (const [id, job] of Object.entries(workflow.jobs)) {
                for (const [key, value] of [...Object.entries(job.env ?? {}), ...job.steps.flatMap((s) => Object.entries(s.env ?? {}))]) {
                    if (SECRET_NAMES.test(key) && !/^POLICY_PACK_CONFIG$/.test(key)) {
                        expect(value, `${file} ${id} ${key}`).to.match(/^\$\{\{ secrets(\.[A-Z0-9_]+|\[matrix\.\w+\]) \}\}$/);
                    }
                }
            }
            const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
            // No credential-looking literal (Pulumi tokens start with pul-, Vault's with hvs.).
            expect(text).not.to.match(/\bpul-[0-9a-f]{8,}|\bhvs\.[A-Za-z0-9]{8,}/);
            for (const expression of text.match(/\$\{\{[^}]*secrets[^}]*\}\}/g) ?? []) {
                expect(expression).to.match(/^\$\{\{ secrets(\.[A-Z0-9_]+|\[matrix\.\w+\]) \}\}$/);
            }
        }
    });

    it("name only stacks and policy-pack configs that exist", () => {
        const named = { stacks: new Set<string>(), configs: new Set<string>() };
        for (const workflow of workflows.values()) {
            for (const job of Object.values(workflow.jobs)) {
                for (const env of envs(job)) {
                    if (env.STACK) named.stacks.add(env.STACK);
                    if (env.POLICY_PACK_CONFIG) named.configs.add(env.POLICY_PACK_CONFIG);
                }
                for (const step of job.steps) {
                    for (const match of (step.run ?? "").matchAll(/policy-pack\/config\/[\w-]+\.json/g)) named.configs.add(match[0]);
                }
            }
        }
        expect([...named.stacks].sort()).to.deep.equal(["dev", "prod"]);
        expect([...named.configs].sort()).to.deep.equal(["policy-pack/config/dev.json", "policy-pack/config/prod.json"]);
        for (const stack of named.stacks) expect(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), stack).to.equal(true);
        for (const config of named.configs) expect(fs.existsSync(path.join(ROOT, config)), config).to.equal(true);
        expect(fs.existsSync(path.join(ROOT, "policy-pack", "PulumiPolicy.yaml"))).to.equal(true);
    });

    describe("pull-request.yml", () => {
        const workflow = () => workflows.get("pull-request.yml")!;

        it("runs the test suite", () => {
            expectTestSuiteJob(workflow().jobs.test);
        });

        it("runs on pull requests with Node 20 and npm ci", () => {
            expect(Object.keys(workflow().on)).to.deep.equal(["pull_request"]);
            const steps = workflow().jobs["offline-plan"].steps;
            expect(steps[0].uses).to.match(/^actions\/checkout@/);
            // The whole history: --diff checks out the base branch.
            expect(steps[0].with).to.deep.equal({ "fetch-depth": 0 });
            expect(steps[1]).to.deep.include({ with: { "node-version": "20", cache: "npm" } });
            expect(steps[2].run).to.equal("npm ci --no-audit --no-fund");
        });

        it("plans every stack offline as JSON with a Markdown summary, and posts it as a PR comment", () => {
            const steps = workflow().jobs["offline-plan"].steps;
            const plan = steps.find((s) => s.run?.includes("npm run -s plan"))!;
            expect(plan.run).to.contain("for file in Pulumi.*.yaml; do");
            expect(plan.run).to.contain(`npm run -s plan -- --stack "$stack" --format json`);
            expect(plan.run).to.contain(`--summary "plan-results/$stack.md"`);
            // What the pull request changes, per stack, against the base branch, as Markdown in the same comment.
            expect(workflow().jobs["offline-plan"].env).to.deep.equal({ BASE_REF: "${{ github.base_ref }}" });
            expect(plan.run!.replace(/\\\n\s+/g, "")).to.contain(`npm run -s plan -- --stack "$stack" --diff "origin/$BASE_REF" --format markdown > "plan-results/$stack.diff.md"`);
            expect(plan.run).to.contain(`cat plan-results/*.diff.md\n} > comment.tmp\n`);
            expect(plan.run).to.contain(`mv comment.tmp plan-results/comment.md\n`);
            const comment = steps.find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))!;
            expect(comment.with).to.deep.equal({ header: "offline-plan", path: "plan-results/comment.md" });
            expect(comment.if).to.contain("always()");
            expect(workflow().jobs["offline-plan"].permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
        });

        it("previews every stack with the policy pack and that stack's environment config, only where credentials exist", () => {
            const job = workflow().jobs.preview;
            const stacks = job.strategy!.matrix.include.map((m) => m.stack).sort();
            expect(stacks).to.deep.equal(listStacks(ROOT));
            const preview = job.steps.find((s) => s.run?.includes("pulumi preview"))!;
            expect(preview.run).to.contain(`pulumi preview --stack "$STACK" --non-interactive --diff \\\n  --policy-pack ./policy-pack --policy-pack-config "$POLICY_PACK_CONFIG"`);
            expect(envs(job).map((e) => [e.STACK, e.POLICY_PACK_CONFIG])).to.deep.equal([
                ["dev", "policy-pack/config/dev.json"],
                ["prod", "policy-pack/config/prod.json"],
            ]);
            for (const step of job.steps.slice(1)) expect(step.if, step.name ?? step.uses ?? step.run).to.equal("steps.credentials.outputs.configured == 'true'");
        });
    });

    describe("deploy.yml", () => {
        const workflow = () => workflows.get("deploy.yml")!;

        it("runs on pushes to main, one deployment at a time", () => {
            expect(workflow().on).to.deep.equal({ push: { branches: ["main"] }, workflow_dispatch: {} });
            expect((workflow() as unknown as { concurrency: unknown }).concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
        });

        it("runs the test suite before it deploys anything", () => {
            expectTestSuiteJob(workflow().jobs.test);
            expect(workflow().jobs.dev.needs).to.equal("test");
        });

        it("deploys dev, then prod behind the production environment, both with the policy pack", () => {
            const { dev, prod } = workflow().jobs;
            expect(dev.environment).to.equal("dev");
            expect(prod.needs).to.equal("dev");
            expect(prod.environment).to.equal("production");
            for (const [job, stack] of [[dev, "dev"], [prod, "prod"]] as const) {
                expect(job.env).to.include({ STACK: stack, POLICY_PACK_CONFIG: `policy-pack/config/${stack}.json` });
                const up = job.steps.find((s) => s.run?.includes("pulumi up"))!;
                expect(up.run).to.contain(`pulumi up --stack "$STACK" --yes --non-interactive --diff \\\n  --policy-pack ./policy-pack --policy-pack-config "$POLICY_PACK_CONFIG"`);
                const plan = job.steps.findIndex((s) => s.run?.startsWith("npm run plan"));
                expect(plan).to.be.greaterThan(-1);
                expect(plan).to.be.lessThan(job.steps.indexOf(up));
            }
        });

        it("refuses to deploy prod unless its policy-pack config makes every policy mandatory", () => {
            const guard = workflow().jobs.prod.steps.find((s) => s.name === "Require mandatory policies in prod")!;
            expect(guard.run).to.contain(`config.all !== "mandatory"`);
            const prod = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", "prod.json"), "utf8"));
            expect(prod.all).to.equal("mandatory");
            for (const [name, entry] of Object.entries(prod)) {
                const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: string }).enforcementLevel;
                if (level !== undefined) expect(level, name).to.equal("mandatory");
            }
        });
    });
});
