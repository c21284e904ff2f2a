import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { applySections, README, renderSections, updateReadme } from "../scripts/readme/main";
import { SCHEMA_FILE } from "../scripts/schema/main";
import { ROOT, runCli } from "./plan-helpers";

describe("README", function () {
    this.timeout(180_000);

    it("is current: its generated sections (diagram, plan output, decommission diff, engine warnings, resource counts, rules) match `npm run readme`", async () => {
        const committed = fs.readFileSync(README, "utf8");
        const sections = await renderSections();
        expect(Object.keys(sections).sort()).to.deep.equal(["chart-mirror", "diagram:dev", "diff:decommission", "engine-warnings", "plan-output", "resource-counts", "rules"]);
        expect(applySections(committed, sections)).to.equal(committed);
    });

    it("fails loudly when a generated section's markers are missing", () => {
        expect(() => applySections("# no markers\n", { rules: "x" })).to.throw(
            'README.md has no "<!-- generated:rules:start -->" … "<!-- generated:rules:end -->" section',
        );
    });

    it("names the exact test command .ci/run runs", () => {
        const ci = fs.readFileSync(".ci/run", "utf8");
        expect(ci).to.match(/^npm test$/m);
        expect(fs.readFileSync(README, "utf8")).to.match(/^npm test\s/m);
    });

    it("has every section that a file of the project refers to as (README, \"…\")", () => {
        const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter((f) => f && f !== "README.md" && !f.startsWith("test/"));
        // A reference names a heading, or the bold lead-in of a paragraph or list item (`- **Kyverno upgrades** …`).
        const lines = fs.readFileSync(README, "utf8").split("\n");
        const headings = new Set([
            ...lines.filter((l) => /^#{1,4} /.test(l)).map((l) => l.replace(/^#+ /, "").trim()),
            ...lines.map((l) => /^(?:- )?\*\*([^*]+)\*\*/.exec(l)?.[1]).filter((t): t is string => t !== undefined),
        ]);
        const references: string[] = [];
        for (const file of files) {
            const full = path.join(ROOT, file);
            if (!fs.existsSync(full) || fs.statSync(full).size > 1_000_000) continue;
            // References live in comments: `// … (README, "Scale")`, `# (see README, "Initialising Vault")`.
            const comments = fs.readFileSync(full, "utf8").split("\n").filter((l) => /^\s*(\/\/|#|\*)/.test(l)).join("\n");
            for (const match of comments.matchAll(/README, "([^"]+)"/g)) references.push(`${file}: ${match[1]}`);
        }
        expect(references).to.include.members(["Pulumi.prod.yaml: Initialising Vault", "index.ts: Scale"]);
        for (const reference of references) expect(headings.has(reference.split(": ").slice(1).join(": ")), reference).to.equal(true);
    });

    it("mentions the commands and options a newcomer looks for", () => {
        const readme = fs.readFileSync(README, "utf8");
        for (const text of ["npm run readme", "--format text\\|json\\|markdown", "--summary <file>", "--root <dir>", "npm run bench -- --sizes", "--no-targets", "--diff", "npm run tenant -- set", "tenant show"]) {
            expect(readme, text).to.contain(text);
        }
    });

    describe("what npm ci warns about", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean; engines?: { node?: string } }> };

        it("declines exactly the lockfile's install scripts in package.json allowScripts, so npm lists none as unreviewed", () => {
            const scripted = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([at]) => at.replace(/^.*node_modules\//, "")).sort();
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
            expect(scripted).to.deep.equal(["@pulumi/kubernetes", "@pulumi/kubernetes-cert-manager", "protobufjs"]);
            expect(pkg.allowScripts).to.deep.equal(Object.fromEntries(scripted.map((name) => [name, false])));
        });

        it("lists every package that declares Node 22 in the README (generated); the program and the pack import none of them", () => {
            const newer = Object.entries(lock.packages).filter(([, p]) => /^>=\s*22/.test(p.engines?.node ?? ""));
            expect(newer.length).to.equal(8);
            const names = newer.map(([at]) => at.replace(/^.*node_modules\//, ""));
            const program = execFileSync("git", ["ls-files", "index.ts", "components", "stacks", "policy-pack"], { cwd: ROOT, encoding: "utf8" })
                .split("\n").filter((f) => f.endsWith(".ts") && !f.includes("/test/"));
            for (const file of program) {
                const text = fs.readFileSync(path.join(ROOT, file), "utf8");
                for (const name of names) expect(text.includes(`"${name}`), `${file} imports ${name}`).to.equal(false);
            }
            const readme = fs.readFileSync(README, "utf8");
            for (const [at] of newer) expect(readme).to.contain(`| \`${at.replace(/^.*node_modules\//, "")}@`);
        });
    });

    describe("npm run readme and npm run schema", () => {
        it("say when nothing changed, and which sections did", () => {
            const readme = "a\n<!-- generated:one:start -->\nold\n<!-- generated:one:end -->\nb\n<!-- generated:two:start -->\nsame\n<!-- generated:two:end -->\n";
            expect(updateReadme(readme, { one: "old", two: "same" })).to.deep.equal({ text: readme, changed: [], message: "README.md is up to date (2 generated sections); nothing written", write: false, exitCode: 0 });
            const changed = updateReadme(readme, { one: "new", two: "same" });
            expect([changed.changed, changed.message, changed.write, changed.exitCode]).to.deep.equal([["one"], "updated 1 of 2 generated sections of README.md: one", true, 0]);
            expect(changed.text).to.equal(readme.replace("\nold\n", "\nnew\n"));
            const check = updateReadme(readme, { one: "new", two: "same" }, { check: true });
            expect([check.message, check.write, check.exitCode]).to.deep.equal(["README.md is out of date: 1 of 2 generated sections differ (one); run npm run readme", false, 1]);
        });

        it("--help prints help and writes nothing", () => {
            const before = [fs.statSync(README).mtimeMs, fs.statSync(SCHEMA_FILE).mtimeMs];
            const readme = runCli("readme/main.ts", ["--help"]);
            expect(readme.status).to.equal(0);
            expect(readme.stdout).to.match(/^Usage: readme \[options\]\n/);
            expect(readme.stdout).to.contain("--check");
            const schema = runCli("schema/main.ts", ["--help"]);
            expect(schema.status).to.equal(0);
            expect(schema.stdout).to.match(/^Usage: schema \[options\]\n/);
            expect([fs.statSync(README).mtimeMs, fs.statSync(SCHEMA_FILE).mtimeMs]).to.deep.equal(before);
        });

        it("schema says when the committed file is up to date and writes nothing", () => {
            const before = fs.statSync(SCHEMA_FILE).mtimeMs;
            const run = runCli("schema/main.ts", ["--check"]);
            expect(run.status).to.equal(0);
            expect(run.stdout).to.equal(`${path.relative(ROOT, SCHEMA_FILE)} is up to date; nothing written\n`);
            expect(fs.statSync(SCHEMA_FILE).mtimeMs).to.equal(before);
        });
    });
});
