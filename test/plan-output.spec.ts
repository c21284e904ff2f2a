// What `--out`, `--diagram` and `--details` produce: deterministic files, a diagram derived
// from the recorded resources, and secrets never in clear text.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { renderMermaid, platformModel } from "../scripts/plan/diagram";
import { MARKER, renderManifests } from "../scripts/plan/manifests";
import { planOf } from "../scripts/plan/model";
import { renderJson, renderText } from "../scripts/plan/output";
import { plan } from "../scripts/plan/run";
import { buildTree, keyInputs } from "../scripts/plan/tree";
import { TEST_VAULT_TOKEN, runStack } from "./helpers";
import { runCli, withTempRoot } from "./plan-helpers";

/** Every file under dir, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    const walk = (at: string) => {
        for (const entry of fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const full = path.join(at, entry.name);
            if (entry.isDirectory()) walk(full);
            else out.set(path.relative(dir, full), fs.readFileSync(full));
        }
    };
    walk(dir);
    return out;
}

describe("npm run plan --out / --diagram / --details", function () {
    this.timeout(120_000);
    let root: string;
    withTempRoot((dir) => { root = dir; });

    describe("--out", () => {
        let first: Map<string, Buffer>;
        let second: Map<string, Buffer>;
        before(() => {
            for (const dir of ["out-1", "out-2"]) {
                const run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--out", path.join(root, dir), "--diagram", path.join(root, `${dir}.mmd`)]);
                expect(run.status, run.stderr).to.equal(0);
            }
            first = snapshot(path.join(root, "out-1"));
            second = snapshot(path.join(root, "out-2"));
        });

        it("writes byte-identical trees on two runs", () => {
            expect([...second.keys()]).to.deep.equal([...first.keys()]);
            for (const [file, bytes] of first) expect(second.get(file)!.equals(bytes), file).to.equal(true);
            expect(fs.readFileSync(path.join(root, "out-2.mmd"), "utf8")).to.equal(fs.readFileSync(path.join(root, "out-1.mmd"), "utf8"));
        });

        it("names object files <namespace or _cluster>/<kind>-<name>.yaml and chart values charts/<release>-values.yaml", () => {
            const files = [...first.keys()];
            expect(files).to.include.members([
                MARKER,
                path.join("_cluster", "namespace-vcluster-team-a.yaml"),
                path.join("_cluster", "clusterpolicy-disallow-privileged-containers.yaml"),
                path.join("argocd", "appproject-team-a.yaml"),
                path.join("argocd", "applicationset-kyverno.yaml"),
                path.join("charts", "vault-values.yaml"),
                path.join("charts", "team-a-values.yaml"),
                // CertManager's values are its own inputs but helmOptions, under their Pulumi names.
                path.join("charts", "cert-manager-values.yaml"),
            ]);
            expect(files.filter((f) => f.startsWith(`charts${path.sep}`))).to.have.length(8);
        });

        it("writes cert-manager's values as @pulumi/kubernetes-cert-manager hands them to Helm: every input but helmOptions", async () => {
            const values = parse(first.get(path.join("charts", "cert-manager-values.yaml"))!.toString("utf8")) as Record<string, unknown>;
            const chart = (await runStack("dev")).resources.find((r) => r.type === "kubernetes-cert-manager:index:CertManager")!;
            const { helmOptions, ...inputs } = chart.inputs;
            expect(helmOptions).to.not.equal(undefined);
            expect(values).to.deep.equal(JSON.parse(JSON.stringify(inputs)));
            expect(values).to.not.have.property("helmOptions");
        });

        it("writes every Vault object Pulumi configures as vault/<kind>-<path or name>.yaml, policies with their HCL", () => {
            expect([...first.keys()].filter((f) => f.startsWith(`vault${path.sep}`)).sort()).to.deep.equal([
                "authbackend-kubernetes.yaml", "authbackendconfig-kubernetes.yaml", "authbackendrole-argocd-repos-team-b.yaml",
                "authbackendrole-external-secrets.yaml", "authbackendrole-tenant-team-a.yaml", "authbackendrole-tenant-team-b.yaml",
                "mount-platform.yaml", "mount-tenants_team-a.yaml", "mount-tenants_team-b.yaml",
                "policy-argocd-repos-team-b.yaml", "policy-platform-read.yaml", "policy-tenant-team-a.yaml", "policy-tenant-team-b.yaml",
            ].map((f) => path.join("vault", f)));
            const policy = first.get(path.join("vault", "policy-tenant-team-a.yaml"))!.toString("utf8");
            expect(policy.split("\n")[0]).to.equal("# vault:index/policy:Policy team-a-vault-policy");
            expect(parse(policy)).to.deep.equal({
                name: "tenant-team-a",
                policy: `path "tenants/team-a/data/*" {\n  capabilities = ["read", "list"]\n}\n\npath "tenants/team-a/metadata/*" {\n  capabilities = ["read", "list"]\n}\n`,
            });
            expect(parse(first.get(path.join("vault", "mount-tenants_team-a.yaml"))!.toString("utf8"))).to.deep.equal({
                description: "Secrets of tenant team-a", options: { version: "2" }, path: "tenants/team-a", type: "kv",
            });
        });

        it("writes apiVersion, kind and metadata first and every other key sorted", () => {
            const text = first.get(path.join("argocd", "appproject-team-a.yaml"))!.toString("utf8");
            expect(text.split("\n").slice(0, 3)).to.deep.equal(["apiVersion: argoproj.io/v1alpha1", "kind: AppProject", "metadata:"]);
            const spec = parse(text).spec as Record<string, unknown>;
            expect(Object.keys(spec)).to.deep.equal([...Object.keys(spec)].sort());
            expect(spec.sourceRepos).to.deep.equal(["https://github.com/acme/team-a-apps.git"]);
        });

        it("replaces a directory it wrote before, and refuses one it did not write (exit 2)", () => {
            const foreign = path.join(root, "foreign");
            fs.mkdirSync(foreign);
            fs.writeFileSync(path.join(foreign, "keep.txt"), "mine");
            const run = runCli("plan/main.ts", ["--stack", "dev", "--root", root, "--out", foreign]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain(`--out ${foreign} exists and was not written by the planner`);
            expect(fs.readdirSync(foreign)).to.deep.equal(["keep.txt"]);
        });
    });

    describe("secrets", () => {
        it("masks the Vault token in the tree details, the JSON report and the written files", async () => {
            const result = await runStack("dev");
            const planned = planOf("dev", result);
            const chart = result.resources.find((r) => r.name === "vault-chart")!;
            expect(chart.secretPaths).to.include("values.server.dev.devRootToken");
            const files = renderManifests(planned);
            const values = files.find((f) => f.path === "charts/vault-values.yaml")!;
            expect(parse(values.content).server.dev.devRootToken).to.equal("[secret]");
            const everything = [
                ...files.map((f) => f.content),
                JSON.stringify(buildTree(planned, true)),
                JSON.stringify(result.resources.map(keyInputs)),
            ].join("\n");
            expect(everything).not.to.contain(TEST_VAULT_TOKEN);
        });

        it("shows a `secure:` stack value as [secret] and passes nothing else to the program", async () => {
            const file = path.join(root, "Pulumi.dev.yaml");
            const doc = parse(fs.readFileSync(file, "utf8"));
            doc.config["gitops-hub:vaultToken"] = { secure: "v1:AAAAciphertext" };
            fs.writeFileSync(path.join(root, "Pulumi.secret.yaml"), stringify(doc));
            const report = await plan({ stack: "secret", root, details: true });
            const text = renderText(report) + renderJson(report);
            expect(text).not.to.contain("ciphertext");
            const vault = report.tree.find((n) => n.name === "vault")!.children.find((n) => n.name === "vault-chart")!;
            expect(vault.details).to.include({ chart: "vault", namespace: "vault" });
            const provider = report.tree.find((n) => n.type === "pulumi:providers:vault")!;
            expect(provider.details).to.include({ token: "[secret]" });
        });
    });

    describe("--diagram", () => {
        it("draws hub add-ons, each tenant's vCluster, AppProject and Applications", () => {
            const mmd = fs.readFileSync(path.join(root, "out-1.mmd"), "utf8");
            expect(mmd.split("\n")[0]).to.equal("flowchart LR");
            expect(mmd).to.contain(`  subgraph hub["hub cluster · stack dev"]\n`);
            expect(mmd).to.contain(`    addon_argocd["argocd<br/><small>gitops-hub:hub:ArgoCd</small>"]\n`);
            expect(mmd).to.contain(`    vc_team_a[("vCluster team-a<br/><small>ns vcluster-team-a</small>")]\n`);
            expect(mmd).to.contain(`    proj_team_b_project["AppProject team-b"]\n`);
            expect(mmd).to.contain(`  app_team_b_app_api --> proj_team_b_project\n`);
        });

        it("links an add-on ApplicationSet to exactly the spokes whose cluster secret carries its label", async () => {
            const file = parse(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8"));
            const tenants = file.config["gitops-hub:tenants"];
            tenants[0].addons = { kyverno: false, "kyverno-policies": false };
            const result = await runStack("dev", { tenants });
            const model = platformModel(planOf("dev", result));
            expect(model.rollouts.map((r) => [r.appSet.name, r.tenants])).to.deep.equal([
                ["argocd-addon-kyverno", ["team-b"]],
                ["argocd-addon-kyverno-policies", ["team-b"]],
            ]);
            const mmd = renderMermaid(planOf("dev", result));
            expect(mmd).to.match(/appset_argocd_addon_kyverno -\.->\|"[^"]+"\| vc_team_b\n/);
            expect(mmd).not.to.match(/appset_argocd_addon_kyverno(_policies)? -\.->.* vc_team_a\n/);
        });
    });
});
