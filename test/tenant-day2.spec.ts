// Day-2 edits with `npm run tenant`: set, app add|remove, repo add|remove, show. Every edit keeps
// every other byte of the stack file, is validated by the loader, speaks in flags when refused,
// and writes nothing then. Runs the CLI's main in-process (stdout and stderr captured) over temp
// copies of the stack files; test/tenant-cli.spec.ts runs it as a child process.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse } from "yaml";
import { main } from "../scripts/tenant/main";
import { inFlagWords } from "../scripts/tenant/flags";
import { runProgram } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { tempRoot } from "./plan-helpers";

async function tenant(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const write = { out: process.stdout.write, err: process.stderr.write };
    process.stdout.write = ((chunk: unknown) => { out.push(String(chunk)); return true; }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown) => { err.push(String(chunk)); return true; }) as typeof process.stderr.write;
    let status: number;
    try {
        status = await main(args);
    } finally {
        process.stdout.write = write.out;
        process.stderr.write = write.err;
    }
    return { status, stdout: out.join(""), stderr: err.join("") };
}

describe("npm run tenant: day-2 edits", function () {
    this.timeout(180_000);
    let root: string;
    let dev: string;
    let prod: string;
    const devFile = () => path.join(root, "Pulumi.dev.yaml");
    const prodFile = () => path.join(root, "Pulumi.prod.yaml");
    beforeEach(() => {
        root = tempRoot();
        dev = fs.readFileSync(devFile(), "utf8");
        prod = fs.readFileSync(prodFile(), "utf8");
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    /** The file with `lines` inserted after the line `after` (the first one from `from`). */
    const inserted = (text: string, after: string, lines: string[], from = 0) => {
        const at = text.indexOf(`${after}\n`, from) + after.length + 1;
        expect(at, after).to.be.greaterThan(after.length);
        return text.slice(0, at) + lines.map((l) => `${l}\n`).join("") + text.slice(at);
    };

    describe("set", () => {
        it("writes quota, Kubernetes version, add-ons and exposure under the entry, and state right after its name", async () => {
            const run = await tenant(["set", "team-a", "--stack", "dev", "--root", root, "--cpu", "4", "--memory", "8Gi", "--pods", "50", "--storage-gib", "40",
                "--kubernetes-version", "1.32", "--disable-addon", "kyverno-policies", "--exposure", "disabled", "--state", "decommissioned"]);
            expect(run.stderr).to.equal("");
            expect(run.status).to.equal(0);
            expect(run.stdout.split("\n")[0]).to.equal(`set on tenant "team-a" in Pulumi.dev.yaml: vcluster.quota.cpu "4", vcluster.quota.memory "8Gi", vcluster.quota.pods 50, vcluster.quota.storageGiB 40, vcluster.kubernetesVersion "1.32", addons.kyverno-policies false, exposure.enabled false, state "decommissioned"`);
            expect(run.stdout.split("\n")[1]).to.match(/^note: the next `pulumi up -s dev` removes the tenant's grants/);
            let expected = inserted(dev, "    - name: team-a", ["      state: decommissioned"]);
            expected = inserted(expected, "          namespace: webapp", [
                "      vcluster:", "        quota:", `          cpu: "4"`, "          memory: 8Gi", "          pods: 50", "          storageGiB: 40",
                `        kubernetesVersion: "1.32"`, "      addons:", "        kyverno-policies: false", "      exposure:", "        enabled: false",
            ]);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(expected);
        });

        it("changes an existing setting on its own line, keeping its place", async () => {
            const run = await tenant(["set", "payments", "--stack", "prod", "--root", root, "--cpu", "24"]);
            expect(run.status).to.equal(0);
            expect(fs.readFileSync(prodFile(), "utf8")).to.equal(prod.replace(`          cpu: "16"\n`, `          cpu: "24"\n`));
        });

        it("sets an add-on that the entry already lists in place", async () => {
            expect((await tenant(["set", "team-b", "--stack", "dev", "--root", root, "--disable-addon", "kyverno-policies", "--enable-addon", "kyverno"])).status).to.equal(0);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev.replace("      addons:\n        kyverno-policies: true\n", "      addons:\n        kyverno-policies: false\n        kyverno: true\n"));
        });

        it("replaces the owner groups", async () => {
            expect((await tenant(["set", "team-a", "--stack", "dev", "--root", root, "--owner-group", "a-admins", "--owner-group", "a-ops"])).status).to.equal(0);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev.replace("      ownerGroups:\n        - team-a-admins\n", "      ownerGroups:\n        - a-admins\n        - a-ops\n"));
        });

        it("in prod, decommissioning prints what the next pulumi up deletes, what stays protected, and what to run next", async () => {
            const before = readStackFile("prod", root);
            const run = await tenant(["set", "search", "--stack", "prod", "--root", root, "--state", "decommissioned"]);
            expect(run.stderr).to.equal("");
            expect(run.status).to.equal(0);
            // The expectation, from two runs of the program: the tenant's resources before and after.
            const after = readStackFile("prod", root);
            const resources = async (config: Record<string, unknown>) => (await runProgram({ stack: "prod", config })).resources
                .filter((r) => r.parent?.endsWith("gitops-hub:tenant:Tenant::search"));
            const old = await resources(before.config);
            const kept = new Set((await resources(after.config)).map((r) => r.urn));
            const line = (r: { type: string; name: string }, mark: string) => `    ${mark} ${r.type} ${r.name}`;
            const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
            const deleted = old.filter((r) => !kept.has(r.urn)).sort(byName);
            const stays = old.filter((r) => kept.has(r.urn)).sort(byName);
            expect(deleted.map((r) => r.name)).to.include.members(["search-project", "search-app.indexer", "search-vault-policy", "search-vault-role"]);
            expect(stays.filter((r) => r.protect).map((r) => r.name).sort()).to.deep.equal(["search-namespace", "search-vault-mount", "search-vcluster"]);
            expect(run.stdout).to.equal([
                `set on tenant "search" in Pulumi.prod.yaml: state "decommissioned"`,
                "what `pulumi up -s prod` does then (offline plans of Pulumi.prod.yaml before and after this edit):",
                `  deletes ${deleted.length} grants of "search":`,
                ...deleted.map((r) => line(r, "-")),
                "  keeps, protected from deletion and retained if ever deleted:",
                ...stays.filter((r) => r.protect).map((r) => line(r, "=")),
                "  keeps, not protected:",
                ...stays.filter((r) => !r.protect).map((r) => line(r, "=")),
                "next: review with `npm run plan -- --stack prod --diff`, then `pulumi up -s prod`; `npm run tenant -- set search --state active --stack prod` restores every grant",
                "",
            ].join("\n"));
            expect(fs.readFileSync(prodFile(), "utf8")).to.equal(inserted(prod, "    - name: search", ["      state: decommissioned"]));
        });

        for (const [args, problem] of [
            [["--cpu", "lots"], `--cpu "lots" must be a Kubernetes quantity, e.g. "4"`],
            [["--kubernetes-version", "1.20"], `--kubernetes-version "1.20" is not offered by the pinned vCluster chart; use one of`],
            [["--memory", "8 GB"], `--memory "8 GB" must be a Kubernetes quantity, e.g. "8Gi"`],
        ] as const) {
            it(`fails when ${args.join(" ")} is refused by the loader, naming the flag, writing nothing`, async () => {
                const run = await tenant(["set", "team-a", "--stack", "dev", "--root", root, ...args]);
                expect(run.status).to.equal(2);
                expect(run.stderr.split("\n")[0]).to.equal("error: Pulumi.dev.yaml would be invalid; nothing was written");
                expect(run.stderr.split("\n")[1].startsWith(`  - ${problem}`), run.stderr).to.equal(true);
                expect(run.stderr).not.to.contain("tenants[0]");
                expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
            });
        }

        it("fails on a value commander refuses (--pods, --state, --enable-addon), exit 2", async () => {
            const pods = await tenant(["set", "team-a", "--stack", "dev", "--root", root, "--pods", "many"]);
            expect(pods.status).to.equal(2);
            expect(pods.stderr).to.contain(`error: option '--pods <count>' argument 'many' is invalid. "many" must be a whole number, e.g. 50`);
            const state = await tenant(["set", "team-a", "--stack", "dev", "--root", root, "--state", "gone"]);
            expect(state.status).to.equal(2);
            expect(state.stderr).to.contain("Allowed choices are active, decommissioned.");
            const addon = await tenant(["set", "team-a", "--stack", "dev", "--root", root, "--enable-addon", "istio"]);
            expect(addon.status).to.equal(2);
            expect(addon.stderr).to.contain(`"istio" is not an add-on; add-ons: kyverno, kyverno-policies`);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });

        it("fails with nothing to set, with an add-on both enabled and disabled, and for an unknown tenant", async () => {
            const nothing = await tenant(["set", "team-a", "--stack", "dev", "--root", root]);
            expect(nothing.status).to.equal(2);
            expect(nothing.stderr).to.equal(`error: nothing to set for tenant "team-a"; pass at least one of --cpu, --memory, --pods, --storage-gib, --kubernetes-version, --enable-addon/--disable-addon, --exposure, --state, --owner-group\n`);
            const both = await tenant(["set", "team-a", "--stack", "dev", "--root", root, "--enable-addon", "kyverno", "--disable-addon", "kyverno"]);
            expect(both.stderr).to.equal(`error: --enable-addon and --disable-addon both name kyverno; pass one of them\n`);
            const unknown = await tenant(["set", "team-z", "--stack", "dev", "--root", root, "--cpu", "1"]);
            expect(unknown.status).to.equal(2);
            expect(unknown.stderr).to.equal(`error: no tenant "team-z" in Pulumi.dev.yaml; nothing was written; tenants there: team-a, team-b\n`);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });
    });

    describe("app", () => {
        const add = ["app", "add", "team-a", "admin", "--stack", "dev", "--repo", "https://github.com/acme/team-a-apps.git", "--path", "apps/admin", "--namespace", "admin"];

        it("adds an application entry after the tenant's others, and remove gives back the original bytes", async () => {
            const run = await tenant([...add, "--root", root, "--revision", "v1.2.0"]);
            expect(run.stderr).to.equal("");
            expect(run.stdout).to.equal(`added application "admin" to tenant "team-a" in Pulumi.dev.yaml: https://github.com/acme/team-a-apps.git path apps/admin at v1.2.0, namespace admin\n`);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(inserted(dev, "          namespace: webapp", [
                "        - name: admin", "          repoURL: https://github.com/acme/team-a-apps.git", "          path: apps/admin", "          targetRevision: v1.2.0", "          namespace: admin",
            ]));
            const remove = await tenant(["app", "remove", "team-a", "admin", "--stack", "dev", "--root", root]);
            expect(remove.status).to.equal(0);
            expect(remove.stdout.split("\n")[0]).to.equal(`removed application "admin" from tenant "team-a" in Pulumi.dev.yaml`);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });

        it("warns about a moving revision, and records an explicit opt-in", async () => {
            const moving = await tenant([...add, "--root", root, "--revision", "main"]);
            expect(moving.stdout.split("\n")[1]).to.equal("note: --revision main can move; the policy application-revision-pinned flags it (advisory in dev, mandatory in prod); pin a release tag or a commit SHA, or pass --allow-moving-revision to track it on purpose");
            fs.writeFileSync(devFile(), dev);
            const optIn = await tenant([...add, "--root", root, "--revision", "main", "--allow-moving-revision"]);
            expect(optIn.stdout.split("\n")).to.have.length(2);
            expect(parse(fs.readFileSync(devFile(), "utf8")).config["gitops-hub:tenants"][0].applications[1]).to.deep.equal({
                name: "admin", repoURL: "https://github.com/acme/team-a-apps.git", path: "apps/admin", targetRevision: "main", namespace: "admin", allowMovingRevision: true,
            });
        });

        it("fails on a repo the tenant does not have, on both or neither of --path and --chart, and on a bad name, writing nothing", async () => {
            const repo = await tenant(["app", "add", "team-a", "x", "--stack", "dev", "--root", root, "--repo", "https://github.com/acme/other.git", "--path", "x", "--revision", "v1.0.0", "--namespace", "x"]);
            expect(repo.status).to.equal(2);
            expect(repo.stderr).to.equal(`error: --repo https://github.com/acme/other.git is not a repository of tenant "team-a" (https://github.com/acme/team-a-apps.git); add it first: npm run tenant -- repo add team-a https://github.com/acme/other.git --stack dev\n`);
            const both = await tenant([...add, "--root", root, "--revision", "v1.0.0", "--chart", "admin"]);
            expect(both.stderr).to.equal(`error: pass exactly one of --path <dir> (a directory in a git repo) and --chart <name> (a chart in a Helm or OCI repo); nothing was written\n`);
            const name = await tenant(["app", "add", "team-a", "Admin", ...add.slice(4), "--root", root, "--revision", "v1.0.0"]);
            expect(name.stderr).to.equal(`error: Pulumi.dev.yaml would be invalid; nothing was written\n  - <app> "Admin" must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "webapp"\n`);
            const namespace = await tenant([...add.slice(0, -1), "Admin NS", "--root", root, "--revision", "v1.0.0"]);
            expect(namespace.stderr).to.contain(`  - --namespace "Admin NS" must be a DNS-1123 label`);
            const missing = await tenant([...add, "--root", root]);
            expect(missing.status).to.equal(2);
            expect(missing.stderr).to.contain("error: required option '--revision <rev>' not specified");
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });

        it("fails to add an application the tenant already has", async () => {
            const run = await tenant(["app", "add", "team-a", "webapp", ...add.slice(4), "--root", root, "--revision", "v1.0.0"]);
            expect(run.stderr).to.equal(`error: <app> webapp is already an application of tenant "team-a"; nothing was written; remove it first to replace it: npm run tenant -- app remove team-a webapp --stack dev\n`);
        });

        it("fails to remove an application the tenant does not have", async () => {
            const run = await tenant(["app", "remove", "team-a", "nope", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.equal(`error: tenant "team-a" has no application "nope" in Pulumi.dev.yaml; nothing was written; its applications: webapp\n`);
        });
    });

    describe("repo", () => {
        const url = "https://github.com/acme/team-a-infra.git";

        it("adds a repository with Vault-held credentials, says where to put them, and remove gives back the original bytes", async () => {
            const run = await tenant(["repo", "add", "team-a", url, "--stack", "dev", "--root", root, "--credentials-vault-key", "repos/infra"]);
            expect(run.stderr).to.equal("");
            expect(run.stdout).to.equal([
                `added repository ${url} (git) to tenant "team-a" in Pulumi.dev.yaml`,
                "credentials: Argo CD reads them from Vault, mount tenants/team-a, key repos/infra; write them with: vault kv put -mount=tenants/team-a repos/infra username=<user> password=<token>",
                "",
            ].join("\n"));
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(inserted(dev, "          type: git", [`        - url: ${url}`, "          type: git", "          credentialsVaultKey: repos/infra"]));
            expect((await tenant(["repo", "remove", "team-a", url, "--stack", "dev", "--root", root])).status).to.equal(0);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });

        it("takes the type from the URL unless --type says otherwise", async () => {
            expect((await tenant(["repo", "add", "team-a", "oci://ghcr.io/acme/a", "--stack", "dev", "--root", root])).stdout.split("\n")[0]).to.contain("(oci)");
            expect((await tenant(["repo", "add", "team-a", "https://charts.acme.example", "--type", "helm", "--stack", "dev", "--root", root])).stdout.split("\n")[0]).to.contain("(helm)");
        });

        it("fails to remove a repository an application still deploys from, and one the tenant does not have", async () => {
            const used = await tenant(["repo", "remove", "team-a", "https://github.com/acme/team-a-apps.git", "--stack", "dev", "--root", root]);
            expect(used.status).to.equal(2);
            expect(used.stderr).to.equal(`error: tenant "team-a" still deploys from https://github.com/acme/team-a-apps.git (application webapp); nothing was written; remove it first: npm run tenant -- app remove team-a webapp --stack dev\n`);
            const none = await tenant(["repo", "remove", "team-a", url, "--stack", "dev", "--root", root]);
            expect(none.stderr).to.equal(`error: tenant "team-a" has no repository ${url} in Pulumi.dev.yaml; nothing was written; its repositories: https://github.com/acme/team-a-apps.git\n`);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });

        it("fails on a credentials key outside repos/ and a duplicate URL, naming the flag and argument", async () => {
            const key = await tenant(["repo", "add", "team-a", url, "--stack", "dev", "--root", root, "--credentials-vault-key", "secrets/infra"]);
            expect(key.stderr).to.equal(`error: Pulumi.dev.yaml would be invalid; nothing was written\n  - --credentials-vault-key "secrets/infra" must be under "repos/" in the tenant's Vault space (Argo CD may read nothing else of it), e.g. "repos/secrets/infra"\n`);
            const twice = await tenant(["repo", "add", "team-a", "https://github.com/acme/team-a-apps.git", "--stack", "dev", "--root", root]);
            expect(twice.stderr).to.equal(`error: <url> https://github.com/acme/team-a-apps.git is already a repository of tenant "team-a"; nothing was written\n`);
            expect(fs.readFileSync(devFile(), "utf8")).to.equal(dev);
        });
    });

    describe("show", () => {
        it("prints the entry with defaults applied and what the tenant owns, by naming.ts's names", async () => {
            const run = await tenant(["show", "team-b", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(0);
            const lines = run.stdout.split("\n");
            expect(lines[0]).to.equal(`tenant "team-b": tenants[1] of Pulumi.dev.yaml (environment dev), active`);
            expect(run.stdout).to.contain(`    quota:\n      cpu: "2"\n      memory: 4Gi\n      pods: 20\n      storageGiB: 10\n`);
            expect(lines.slice(lines.indexOf("on the hub:"))).to.deep.equal([
                "on the hub:",
                "  namespace        vcluster-team-b",
                "  vCluster         Helm release team-b in vcluster-team-b; Argo CD reaches it at https://team-b.vcluster-team-b.svc:443",
                "  Argo CD          AppProject team-b; cluster secret argocd/cluster-team-b; Applications team-b.api",
                "  Vault            KV v2 mount tenants/team-b; policy and Kubernetes-auth role tenant-team-b read tenants/team-b/data/* and tenants/team-b/metadata/*",
                "                   repository credentials (under repos/): tenants/team-b/data/repos/ghcr",
                "  SecretStore      tenant-team-b in vcluster-team-b",
                `  vCluster API     https://team-b.dev.gitops.example.com (not reachable from outside the hub: platform.exposure.mode is "none")`,
                "  protection       none: pulumi up deletes what the config no longer has",
                "",
            ]);
        });

        it("as JSON, for a decommissioned prod tenant: no grants, protected data", async () => {
            await tenant(["set", "search", "--stack", "prod", "--root", root, "--state", "decommissioned"]);
            const run = await tenant(["show", "search", "--stack", "prod", "--root", root, "--format", "json"]);
            const shown = JSON.parse(run.stdout);
            expect(shown.entry).to.equal("tenants[1]");
            expect(shown.config.state).to.equal("decommissioned");
            expect(shown.config.vcluster.quota).to.deep.equal({ cpu: "8", memory: "16Gi", pods: 100, storageGiB: 100 });
            expect(shown.owns).to.deep.equal({
                namespace: "vcluster-search",
                vcluster: { release: "search", namespace: "vcluster-search", server: "https://search.vcluster-search.svc:443" },
                applications: [],
                vault: { mount: "tenants/search", readablePaths: [], repoCredentials: [] },
                host: { name: "search.gitops.example.com", exposed: false },
                protected: true,
            });
        });

        it("fails for an unknown tenant, suggesting a close name", async () => {
            const run = await tenant(["show", "team-c", "--stack", "dev", "--root", root]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.equal(`error: no tenant "team-c" in Pulumi.dev.yaml (did you mean "team-a"?); tenants there: team-a, team-b\n`);
        });
    });

    describe("list, and which commands write", () => {
        it("list refuses an unknown --format with exit 2, and prints JSON for json", async () => {
            const yaml = await tenant(["list", "--stack", "dev", "--root", root, "--format", "yaml"]);
            expect(yaml.status).to.equal(2);
            expect(yaml.stdout).to.equal("");
            expect(yaml.stderr).to.contain("error: option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, json.");
            const json = await tenant(["list", "--stack", "dev", "--root", root, "--format", "json"]);
            expect(JSON.parse(json.stdout).map((t: { name: string }) => t.name)).to.deep.equal(["team-a", "team-b"]);
        });

        it("--stack help says the file is only read for list, show and kubeconfig, and edited for the others", async () => {
            for (const command of [["list"], ["show"], ["kubeconfig"]]) {
                const help = await tenant([...command, "--help"]);
                expect(help.status).to.equal(0);
                expect(help.stdout.replace(/\s+/g, " "), command.join(" ")).to.match(/stack whose Pulumi\.<stack>\.yaml is read \(never written\), e\.g\. dev/);
            }
            for (const command of [["add"], ["set"], ["remove"], ["app", "add"], ["app", "remove"], ["repo", "add"], ["repo", "remove"]]) {
                const help = await tenant([...command, "--help"]);
                expect(help.stdout.replace(/\s+/g, " "), command.join(" ")).to.match(/stack whose Pulumi\.<stack>\.yaml is edited, e\.g\. dev/);
            }
        });
    });

    describe("inFlagWords", () => {
        const settings = [{ flag: "--cpu", path: "vcluster.quota.cpu" }, { flag: "--repo", path: "repos" }, { flag: "--owner-group", path: "ownerGroups", required: "at least one group" }];

        it("says a problem about a flag's setting under the flag, keeping the rest of the sentence", () => {
            expect(inFlagWords(`tenants[2].vcluster.quota.cpu "x" must be a Kubernetes quantity, e.g. "4"`, "tenants[2]", settings)).to.equal(`--cpu "x" must be a Kubernetes quantity, e.g. "4"`);
            expect(inFlagWords(`tenants[2].repos[1] url "a" is already listed at tenants[2].repos[0]; list it once`, "tenants[2]", settings)).to.equal(`--repo url "a" is already listed at tenants[2].repos[0]; list it once`);
            expect(inFlagWords("tenants[2].ownerGroups is missing; it must be an array", "tenants[2]", settings)).to.equal("--owner-group is required: at least one group");
        });

        it("leaves problems about other entries and other settings as the loader said them", () => {
            for (const problem of [`tenants[1].vcluster.quota.cpu "x" must be a Kubernetes quantity`, `tenants[2].syncWindows[0].applications[0] "api" is not the name of one of tenants[2].applications`, `platform.vault.mode "dev" is only allowed in the dev environment`]) {
                expect(inFlagWords(problem, "tenants[2]", settings)).to.equal(problem);
            }
        });
    });
});
