// The offline plan as a user runs it: a child process over a temp copy of the stack files
// (--root), so no test touches the repository's own files. Exit codes: 0 clean, 1 mandatory
// violation, 2 bad usage or bad config.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { ConfigError, parseStackConfig } from "../stacks/loader";
import { ROOT, runCli, withTempRoot } from "./plan-helpers";

function writeJson(dir: string, name: string, value: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
}

// Vault's dev mode is flagged by vault-no-dev-mode-outside-dev whenever the environment the
// policy assumes is not "dev": a violation the dev stack is certain to have.
const DEV_MODE_MANDATORY = { all: "advisory", "vault-no-dev-mode-outside-dev": { enforcementLevel: "mandatory", environment: "prod" } };

describe("npm run plan", function () {
    this.timeout(120_000);
    let root: string;
    withTempRoot((dir) => { root = dir; });

    describe("a clean stack", () => {
        let run: ReturnType<typeof runCli>;
        before(() => { run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--policy-config", writeJson(root, "advisory.json", { all: "advisory" })]); });

        it("exits 0 when only advisory findings are reported", () => {
            expect(run.stderr).to.equal("");
            expect(run.status).to.equal(0);
        });

        it("prints the stack, hub add-ons and tenants as a tree with children indented", () => {
            const lines = run.stdout.split("\n");
            expect(lines[2]).to.match(/^Type\s+Name$/);
            expect(lines[3]).to.match(/^pulumi:pulumi:Stack\s+gitops-hub-dev$/);
            expect(lines).to.include.members([
                lines.find((l) => /^├─ gitops-hub:hub:ArgoCd\s+argocd$/.test(l)),
                lines.find((l) => /^├─ gitops-hub:tenant:Tenant\s+team-a$/.test(l)),
                lines.find((l) => /^│  ├─ kubernetes:argoproj\.io\/v1alpha1:AppProject\s+team-a-project$/.test(l)),
            ].filter(Boolean) as string[]);
            expect(lines.filter((l) => /gitops-hub:tenant:Tenant\s+team-[ab]$/.test(l))).to.have.length(2);
        });

        it("prints resource counts by type", () => {
            expect(run.stdout).to.match(/\n {2}gitops-hub:tenant:Tenant\s+2\n/);
            expect(run.stdout).to.match(/\n {2}kubernetes:argoproj\.io\/v1alpha1:ApplicationSet\s+2\n/);
            expect(run.stdout).to.match(/\n {2}total\s+\d+\n/);
        });

        it("ends with an OK summary naming the policy config", () => {
            const last = run.stdout.trimEnd().split("\n").pop()!;
            expect(last).to.match(/^OK: \d+ resources; policies \(\d+ enabled, config .*advisory\.json\): 0 mandatory violations, \d+ advisory, 0 exempted$/);
        });
    });

    describe("a mandatory violation", () => {
        it("exits 1 and reports the rule, resource, field, severity and enforcement", () => {
            const summary = path.join(root, "summary.md");
            const run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--policy-config", writeJson(root, "mandatory.json", DEV_MODE_MANDATORY), "--format", "json", "--summary", summary]);
            expect(run.status).to.equal(1);
            const markdown = fs.readFileSync(summary, "utf8");
            expect(markdown.split("\n")[0]).to.equal("### ❌ Offline plan: stack `dev` (dev)");
            expect(markdown).to.contain("| rule | severity | enforcement | resource | field | config | message |\n");
            // A hub resource: no tenant config entry behind it.
            expect(markdown).to.match(/\n\| vault-no-dev-mode-outside-dev \| critical \| mandatory \| kubernetes:helm\.sh\/v4:Chart vault-chart \| `values\.server\.dev\.enabled` \|  \| .+ \|\n/);
            const report = JSON.parse(run.stdout);
            expect(report.exitCode).to.equal(1);
            expect(report.summary.mandatory).to.equal(1);
            const blocking = report.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory");
            expect(blocking).to.deep.equal([{
                policy: "vault-no-dev-mode-outside-dev",
                severity: "critical",
                enforcementLevel: "mandatory",
                resource: blocking[0].resource,
                path: "values.server.dev.enabled",
                message: blocking[0].message,
                exempted: null,
                remediation: blocking[0].remediation,
                framework: "BSI IT-Grundschutz 2023: SYS.1.6.A8, APP.4.4.A12",
                config: null,
            }]);
            expect(blocking[0].remediation).to.match(/^Set /);
            expect(blocking[0].resource).to.include({ type: "kubernetes:helm.sh/v4:Chart", name: "vault-chart" });
            expect(blocking[0].message).to.contain("dev mode");
        });

        it("exits 0 when an exemption covers it, and shows the exemption's reason", () => {
            const config = structuredClone(DEV_MODE_MANDATORY) as Record<string, any>;
            config["vault-no-dev-mode-outside-dev"].exemptions = [{ namespaces: ["vault"], reason: "the dev stack runs Vault in dev mode on purpose" }];
            const run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--policy-config", writeJson(root, "exempt.json", config)]);
            expect(run.status).to.equal(0);
            expect(run.stdout).to.contain("    [exempted] kubernetes:helm.sh/v4:Chart vault-chart  values.server.dev.enabled\n");
            expect(run.stdout).to.contain("        exempted: the dev stack runs Vault in dev mode on purpose\n");
            expect(run.stdout).to.match(/0 mandatory violations, \d+ advisory, 1 exempted\n$/);
        });

        it("uses policy-pack/config/<environment>.json when no --policy-config is given", () => {
            const run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--format", "json"]);
            expect(JSON.parse(run.stdout).policyConfig).to.equal(path.join("policy-pack", "config", "dev.json"));
        });
    });

    describe("a tenant shard (gitops-hub:hubStack)", () => {
        it("plans the hub stack first and reads its outputs through the StackReference", () => {
            fs.writeFileSync(path.join(root, "Pulumi.tenants-a.yaml"), [
                "config:",
                "  gitops-hub:hubStack: acme/gitops-hub/dev",
                "  gitops-hub:tenants:",
                "    - name: team-c",
                "      ownerGroups: [team-c-admins]",
                "",
            ].join("\n"));
            try {
                const run = runCli("plan/main.ts", ["--stack", "tenants-a", "--root", root, "--policy-config", writeJson(root, "advisory.json", { all: "advisory" })]);
                expect(run.stderr).to.equal("");
                expect(run.status).to.equal(0);
                expect(run.stdout.split("\n")[0]).to.equal(`Offline plan of stack "tenants-a" (environment dev), under Pulumi's mock runtime`);
                expect(run.stdout).to.match(/\n├─ gitops-hub:tenant:Tenant\s+team-c\n/);
                expect(run.stdout).to.match(/\n└─ pulumi:pulumi:StackReference\s+hub {2}\[read\]\n/);
                expect(run.stdout).not.to.match(/gitops-hub:hub:/);
            } finally {
                fs.rmSync(path.join(root, "Pulumi.tenants-a.yaml"));
            }
        });
    });

    describe("bad usage and bad config (exit 2)", () => {
        it("fails when the stack's config is invalid, printing the loader's problems", () => {
            const file = path.join(root, "Pulumi.broken.yaml");
            const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
            doc.config["gitops-hub:tenants"][0].name = "Team_A";
            doc.config["gitops-hub:platform"].vault.replicas = 0;
            fs.writeFileSync(file, stringify(doc));
            let problems: string[] = [];
            try {
                parseStackConfig({ values: { platform: doc.config["gitops-hub:platform"], tenants: doc.config["gitops-hub:tenants"] }, secretsSet: new Set() });
            } catch (error) {
                problems = (error as ConfigError).problems;
            }
            expect(problems.length).to.be.greaterThan(1);
            const run = runCli("plan/main.ts", ["--stack", "broken", "--root", root]);
            expect(run.status).to.equal(2);
            expect(run.stdout).to.equal("");
            for (const problem of problems) expect(run.stderr).to.contain(`  - ${problem}\n`);
        });

        it("fails when the policy-pack config names an unknown policy or level", () => {
            const run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--policy-config", writeJson(root, "bad.json", { all: "mandatry", "no-such-policy": "advisory" })]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain(`all "mandatry" must be one of "advisory", "mandatory", "remediate", "disabled"`);
            expect(run.stderr).to.contain(`"no-such-policy" is not a policy of this pack`);
        });

        it("fails for a stack that does not exist", () => {
            const run = runCli("plan/main.ts", ["--stack", "nope", "--root", root]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.match(/^error: no stack "nope": .*Pulumi\.nope\.yaml does not exist; stacks here: broken, dev, prod\n/);
        });

        it("fails without --stack, and on an unknown --format", () => {
            expect(runCli("plan/main.ts", []).status).to.equal(2);
            const run = runCli("plan/main.ts", ["--stack", "dev", "--format", "xml"]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain("option '--format <format>' argument 'xml' is invalid");
        });

        it("--help explains the exit codes, --render and how to render the diagram as SVG", () => {
            const run = runCli("plan/main.ts", ["--help"]);
            expect(run.status).to.equal(0);
            expect(run.stdout).to.contain("  1  a mandatory policy is violated (not exempted); with --render also: a chart fails to render\n");
            expect(run.stdout).to.contain("     with --render also: no usable helm, or a --charts mirror that lacks a chart");
            expect(run.stdout).to.contain("--charts <dir>");
            expect(run.stdout).to.contain("npx @mermaid-js/mermaid-cli");
        });
    });
});
