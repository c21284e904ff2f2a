// What a plan tells an operator besides the tree: the Argo CD sizing profile, and for every
// finding its rule's framework and remediation and (on a tenant's resource) the config setting it
// comes from, in text, JSON and Markdown. And the rule on moving revisions: advisory in dev,
// mandatory in prod, silent for an application whose entry opts in.
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { renderJson, renderMarkdown, renderText } from "../scripts/plan/output";
import { PlanReport, plan } from "../scripts/plan/run";
import { runCli, tempRoot } from "./plan-helpers";

const MOVING = `spec.source.targetRevision is "main", which can move; deploy a release tag (e.g. "v1.4.2"), an exact chart version or a full commit SHA, so what runs is what was reviewed.`;
const REMEDIATION = "Set the application's targetRevision to a release tag (e.g. \"v1.4.2\"), an exact chart version or a full commit SHA. A tenant application that must follow a branch opts in with `allowMovingRevision: true` on its entry in gitops-hub:tenants (annotation gitops-hub.io/allow-moving-revision).";

describe("plan: sizing profile, and where findings come from and how to fix them", function () {
    this.timeout(240_000);
    let root: string;
    let dev: PlanReport;
    before(async () => {
        root = tempRoot();
        dev = await plan({ stack: "dev", root });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("shows the Argo CD sizing profile the stack gets, in text, JSON and Markdown", () => {
        expect(dev.outputs).to.deep.equal({ argocdSizingProfile: "small" });
        expect(renderText(dev)).to.contain("\nArgo CD sizing profile: small (stack output argocdSizingProfile)\n");
        expect(JSON.parse(renderJson(dev)).outputs).to.deep.equal({ argocdSizingProfile: "small" });
        expect(renderMarkdown(dev)).to.contain("\nArgo CD sizing profile: `small`\n");
    });

    it("prints each rule's framework and fix, and each tenant finding's config setting (text)", () => {
        const text = renderText(dev);
        expect(text).to.contain([
            "Policy violations, by rule:",
            "  application-revision-pinned (severity medium)",
            "    framework: BSI IT-Grundschutz 2023: APP.4.4.A2, APP.4.4.A10",
            `    fix: ${REMEDIATION}`,
            "    [advisory] kubernetes:argoproj.io/v1alpha1:Application argocd-root-app  spec.source.targetRevision",
            `        ${MOVING}`,
            "    [advisory] kubernetes:argoproj.io/v1alpha1:Application team-a-app.webapp  spec.source.targetRevision",
            `        ${MOVING}`,
            `        config: tenants[0].applications[0].targetRevision "main"`,
            "",
        ].join("\n"));
    });

    it("carries remediation, framework and config in the JSON report (null where there is none)", () => {
        const violations = JSON.parse(renderJson(dev)).violations as Record<string, unknown>[];
        expect(violations.map((v) => [(v.resource as { name: string }).name, v.remediation, v.framework, v.config])).to.deep.equal([
            ["argocd-root-app", REMEDIATION, "BSI IT-Grundschutz 2023: APP.4.4.A2, APP.4.4.A10", null],
            ["team-a-app.webapp", REMEDIATION, "BSI IT-Grundschutz 2023: APP.4.4.A2, APP.4.4.A10", {
                entry: "tenants[0]", tenant: "team-a",
                settings: [{ path: "tenants[0].applications[0].targetRevision", value: "main", inStackFile: true }],
            }],
        ]);
    });

    it("has a config column and a fix per rule in the Markdown summary", () => {
        const markdown = renderMarkdown(dev);
        expect(markdown).to.contain("| rule | severity | enforcement | resource | field | config | message |\n");
        expect(markdown).to.contain(`| application-revision-pinned | medium | advisory | kubernetes:argoproj.io/v1alpha1:Application team-a-app.webapp | \`spec.source.targetRevision\` | tenants[0].applications[0].targetRevision "main" | ${MOVING} |\n`);
        expect(markdown).to.contain(`How to fix, by rule:\n\n- **application-revision-pinned** (BSI IT-Grundschutz 2023: APP.4.4.A2, APP.4.4.A10): ${REMEDIATION}\n`);
    });

    describe("application-revision-pinned in prod", () => {
        const withApp = (app: Record<string, unknown>) => {
            const doc = parse(fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8"));
            doc.config["gitops-hub:tenants"][1].applications.push({ name: "nightly", repoURL: "https://github.com/acme/search-deploy.git", path: "apps/nightly", targetRevision: "main", namespace: "nightly", ...app });
            fs.writeFileSync(path.join(root, "Pulumi.moving.yaml"), stringify(doc));
        };

        it("is mandatory: a tenant app on a branch blocks the plan (exit 1), naming the setting", () => {
            withApp({});
            const run = runCli("plan/main.ts", ["--stack", "moving", "--root", root, "--policy-config", path.join(__dirname, "..", "policy-pack", "config", "prod.json"), "--format", "json"]);
            expect(run.status).to.equal(1);
            const report = JSON.parse(run.stdout);
            expect(report.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory").map((v: any) => [v.policy, v.resource.name, v.path, v.config.settings[0].path])).to.deep.equal([
                ["application-revision-pinned", "search-app.nightly", "spec.source.targetRevision", "tenants[1].applications[1].targetRevision"],
            ]);
        });

        it("is silent for an app whose entry opts in with allowMovingRevision: true", async () => {
            withApp({ allowMovingRevision: true });
            const report = await plan({ stack: "moving", root, policyConfig: path.join(__dirname, "..", "policy-pack", "config", "prod.json") });
            expect(report.findings.filter((f) => f.policy === "application-revision-pinned")).to.deep.equal([]);
            expect(report.exitCode).to.equal(0);
            const app = report.resources.find((r) => r.name === "search-app.nightly")!;
            expect((app.inputs.metadata as { annotations: Record<string, string> }).annotations).to.deep.equal({
                "gitops-hub.io/project-at-creation": "search",
                "gitops-hub.io/allow-moving-revision": "true",
            });
        });
    });
});
