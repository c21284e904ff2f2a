// `npm run tenant` edits Pulumi.<stack>.yaml in place: everything but the edit stays
// byte-for-byte (comments, order, flow lists), and anything the loader refuses is refused
// without touching the file. Runs the CLI as a child process over temp copies of the stack files.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse } from "yaml";
import { ConfigError, parseStackConfig } from "../stacks/loader";
import { runCli, tempRoot } from "./plan-helpers";

const PAST = new Date("2020-01-01T00:00:00Z");

describe("npm run tenant", function () {
    this.timeout(120_000);
    let root: string;
    let devFile: string;
    let prodFile: string;
    let dev: string;
    let prod: string;
    beforeEach(() => {
        root = tempRoot();
        devFile = path.join(root, "Pulumi.dev.yaml");
        prodFile = path.join(root, "Pulumi.prod.yaml");
        dev = fs.readFileSync(devFile, "utf8");
        prod = fs.readFileSync(prodFile, "utf8");
        for (const file of [devFile, prodFile]) fs.utimesSync(file, PAST, PAST);
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    /** The loader's problems for the dev stack with one more tenant entry. */
    function loaderProblems(entry: Record<string, unknown>): string[] {
        const config = parse(dev).config;
        try {
            parseStackConfig({ values: { platform: config["gitops-hub:platform"], tenants: [...config["gitops-hub:tenants"], entry] }, secretsSet: new Set() });
        } catch (error) {
            return (error as ConfigError).problems;
        }
        throw new Error("expected the loader to refuse the entry");
    }

    function expectUntouched(file: string, bytes: string): void {
        expect(fs.readFileSync(file, "utf8")).to.equal(bytes);
        expect(fs.statSync(file).mtime.getTime()).to.equal(PAST.getTime());
    }

    describe("add", () => {
        it("appends the tenant and keeps every other byte, including comments and flow lists", () => {
            const run = runCli("tenant/main.ts", ["add", "team-c", "--stack", "prod", "--root", root,
                "--owner-group", "team-c-admins", "--repo", "oci://ghcr.io/acme/charts", "--repo", "https://github.com/acme/team-c.git"]);
            expect(run.stderr).to.equal("");
            expect(run.status).to.equal(0);
            expect(run.stdout).to.equal(`added tenant "team-c" to Pulumi.prod.yaml: owner groups team-c-admins; oci://ghcr.io/acme/charts (oci), https://github.com/acme/team-c.git (git)\n`);
            expect(fs.readFileSync(prodFile, "utf8")).to.equal(`${prod}${[
                "    - name: team-c",
                "      ownerGroups:",
                "        - team-c-admins",
                "      repos:",
                "        - url: oci://ghcr.io/acme/charts",
                "          type: oci",
                "        - url: https://github.com/acme/team-c.git",
                "          type: git",
                "",
            ].join("\n")}`);
        });

        it("keeps a long flow mapping on its line and turns an empty [] into a block list", () => {
            const platform = `  gitops-hub:platform: {environment: dev, domain: a.example.com, argocd: {rootApp: {repoURL: "https://github.com/acme/platform-gitops.git", path: clusters/dev, targetRevision: main}}, compliance: {allowedRegistries: [ghcr.io/acme/]}}\n`;
            fs.writeFileSync(path.join(root, "Pulumi.flow.yaml"), `config:\n${platform}  gitops-hub:tenants: []\n`);
            expect(runCli("tenant/main.ts", ["add", "team-y", "--stack", "flow", "--root", root, "--owner-group", "y"]).status).to.equal(0);
            expect(fs.readFileSync(path.join(root, "Pulumi.flow.yaml"), "utf8")).to.equal(
                `config:\n${platform}  gitops-hub:tenants:\n    - name: team-y\n      ownerGroups:\n        - y\n`);
        });

        it("fails on a file the library would reformat, naming the line, writing nothing", () => {
            const file = path.join(root, "Pulumi.odd.yaml");
            const odd = dev.replace("    environment: dev\n", "    environment:   dev\n");
            fs.writeFileSync(file, odd);
            fs.utimesSync(file, PAST, PAST);
            const run = runCli("tenant/main.ts", ["add", "team-c", "--stack", "odd", "--root", root, "--owner-group", "g"]);
            expect(run.status).to.equal(2);
            const line = odd.split("\n").indexOf("    environment:   dev") + 1;
            expect(run.stderr).to.equal(`error: ${file} would be reformatted by the edit, not only changed; nothing was written\n` +
                `  - line ${line} "    environment:   dev" would be written as "    environment: dev"; edit this file by hand, or bring that line into the layout \`yaml\` writes\n`);
            expectUntouched(file, odd);
        });

        it("round-trips: add then remove gives back the original bytes", () => {
            expect(runCli("tenant/main.ts", ["add", "team-c", "--stack", "prod", "--root", root, "--owner-group", "g"]).status).to.equal(0);
            expect(fs.readFileSync(prodFile, "utf8")).not.to.equal(prod);
            expect(runCli("tenant/main.ts", ["remove", "team-c", "--stack", "prod", "--root", root]).status).to.equal(0);
            expect(fs.readFileSync(prodFile, "utf8")).to.equal(prod);
        });

        for (const [what, name] of [["an uppercase name", "Team_C"], ["the reserved name argocd", "argocd"], ["a duplicate", "team-a"]]) {
            it(`fails on ${what}, with the loader's message said of the <name> argument, writing nothing`, () => {
                const run = runCli("tenant/main.ts", ["add", name, "--stack", "dev", "--root", root, "--owner-group", "g"]);
                expect(run.status).to.equal(2);
                expect(run.stdout).to.equal("");
                const problems = loaderProblems({ name, ownerGroups: ["g"] });
                expect(problems.every((p) => p.startsWith(`tenants[2].name "${name}" `))).to.equal(true);
                expect(run.stderr).to.equal(`error: Pulumi.dev.yaml would be invalid; nothing was written\n${problems.map((p) => `  - ${p.replace("tenants[2].name", "<name>")}\n`).join("")}`);
                expectUntouched(devFile, dev);
            });
        }

        it("fails without an owner group, naming the flag rather than the config path, writing nothing", () => {
            expect(loaderProblems({ name: "team-c" })).to.deep.equal(["tenants[2].ownerGroups is missing; it must be an array"]);
            const run = runCli("tenant/main.ts", ["add", "team-c", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.equal("error: Pulumi.dev.yaml would be invalid; nothing was written\n  - --owner-group is required: at least one SSO group that owns the tenant, e.g. --owner-group team-c-admins\n");
            expectUntouched(devFile, dev);
        });
    });

    describe("tenant shards (gitops-hub:hubStack)", () => {
        let shardFile: string;
        let shard: string;
        beforeEach(() => {
            shardFile = path.join(root, "Pulumi.tenants-a.yaml");
            shard = "# A shard of the dev hub.\nconfig:\n  gitops-hub:hubStack: acme/gitops-hub/dev\n  gitops-hub:tenants:\n    - name: team-c\n      ownerGroups: [team-c-admins]\n";
            fs.writeFileSync(shardFile, shard);
            fs.utimesSync(shardFile, PAST, PAST);
        });

        it("adds a tenant to a shard, checked against the hub's platform", () => {
            const run = runCli("tenant/main.ts", ["add", "team-d", "--stack", "tenants-a", "--root", root, "--owner-group", "team-d-admins"]);
            expect(run.status).to.equal(0);
            expect(fs.readFileSync(shardFile, "utf8")).to.equal(`${shard}    - name: team-d\n      ownerGroups:\n        - team-d-admins\n`);
        });

        it("fails on a name the hub or a sibling shard already uses, writing nothing", () => {
            const inShard = runCli("tenant/main.ts", ["add", "team-a", "--stack", "tenants-a", "--root", root, "--owner-group", "g"]);
            expect(inShard.status).to.equal(2);
            expect(inShard.stderr).to.equal(`error: Pulumi.tenants-a.yaml would be invalid; nothing was written\n  - <name> "team-a" is already a tenant of stack "dev" (Pulumi.dev.yaml), which shares this hub; tenant names must be unique across a hub and its shards\n`);
            expectUntouched(shardFile, shard);
            const inHub = runCli("tenant/main.ts", ["add", "team-c", "--stack", "dev", "--root", root, "--owner-group", "g"]);
            expect(inHub.status).to.equal(2);
            expect(inHub.stderr).to.contain(`  - <name> "team-c" is already a tenant of stack "tenants-a" (Pulumi.tenants-a.yaml)`);
            expectUntouched(devFile, dev);
        });
    });

    describe("remove", () => {
        it("removes the tenant's entry and the comment above it, nothing else", () => {
            const run = runCli("tenant/main.ts", ["remove", "team-a", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(0);
            expect(run.stdout).to.equal(`removed tenant "team-a" from Pulumi.dev.yaml\n`);
            const start = dev.indexOf("    # Team A:");
            const end = dev.indexOf("    # Team B:");
            expect(start).to.be.greaterThan(0);
            expect(fs.readFileSync(devFile, "utf8")).to.equal(dev.slice(0, start) + dev.slice(end));
        });

        it("keeps a heading comment of the list when the first tenant goes", () => {
            const file = path.join(root, "Pulumi.heading.yaml");
            const heading = dev.replace("    # Team A:", "    # Tenants, one entry per team.\n\n    # Team A:");
            fs.writeFileSync(file, heading);
            expect(runCli("tenant/main.ts", ["remove", "team-a", "--stack", "heading", "--root", root]).status).to.equal(0);
            const start = heading.indexOf("    # Team A:");
            expect(fs.readFileSync(file, "utf8")).to.equal(heading.slice(0, start) + heading.slice(heading.indexOf("    # Team B:")));
        });

        it("says when the stack protects stateful resources", () => {
            const run = runCli("tenant/main.ts", ["remove", "search", "--stack", "prod", "--root", root]);
            expect(run.status).to.equal(0);
            expect(run.stdout.split("\n")[1]).to.match(/^note: stateful resources are protected in this stack/);
        });

        it("fails for a tenant that does not exist, writing nothing", () => {
            const run = runCli("tenant/main.ts", ["remove", "team-z", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.equal(`error: no tenant "team-z" in Pulumi.dev.yaml; nothing was written\n`);
            expectUntouched(devFile, dev);
        });
    });

    describe("list and usage", () => {
        it("lists the tenants with defaults applied", () => {
            const run = runCli("tenant/main.ts", ["list", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(0);
            expect(run.stdout).to.equal([
                "team-a\tactive\towners=team-a-admins\trepos=1\tapps=1\taddons=kyverno,kyverno-policies",
                "team-b\tactive\towners=team-b-admins\trepos=2\tapps=1\taddons=kyverno,kyverno-policies",
                "",
            ].join("\n"));
        });

        it("fails on an unknown stack, an unknown subcommand and a missing --stack (exit 2)", () => {
            const unknownStack = runCli("tenant/main.ts", ["list", "--stack", "nope", "--root", root]);
            expect(unknownStack.status).to.equal(2);
            expect(unknownStack.stderr).to.match(/^error: no stack "nope": .*Pulumi\.nope\.yaml does not exist; stacks here: dev, prod\n$/);
            expect(runCli("tenant/main.ts", ["frobnicate"]).status).to.equal(2);
            expect(runCli("tenant/main.ts", ["add", "team-c"]).status).to.equal(2);
            expectUntouched(devFile, dev);
        });
    });
});
