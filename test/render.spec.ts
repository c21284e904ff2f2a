// `plan --render` on a chart of our own (test/fixtures/charts/demo-0.1.0), with the real helm:
// chart resolution (mirror directory, helm-packaged .tgz, missing, wrong version, unreachable
// repository), Helm's values-schema check, the API server's checks on every rendered object, the
// program's custom resources against the CRD the chart renders, hooks, children as
// helm.v4.Chart registers them, and the policy pack over those children. No network, no real
// chart: the real pinned charts are measured in the session, never in CI.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { CHARTS, CERT_MANAGER_REPO, CERT_MANAGER_VERSION, RENDER_KUBERNETES_VERSION } from "../components/versions";
import { rules as policies } from "../policy-pack/catalog";
import type { StackRule } from "../policy-pack/catalog/core/types";
import { PlanUsageError } from "../scripts/plan/errors";
import { exemptionsApplied, resolvePolicyConfig } from "../scripts/plan/policies";
import { judgeStack } from "../scripts/plan/run";
import { SecretValue } from "../scripts/recorder";
import { renderedFiles } from "../scripts/plan/render/files";
import { judgeHelmVersion, locateHelm } from "../scripts/plan/render/helm";
import { renderBlocks, renderTotals } from "../scripts/plan/render/model";
import { renderSectionText } from "../scripts/plan/render/report";
import { renderStack } from "../scripts/plan/render/stack";
import { FIXTURE_CHARTS, FIXTURE_REPO, demoChart, demoPlan, namespace, planWith, recorded } from "./render-fixtures";
import { runCli } from "./plan-helpers";
import { requireTool } from "./tools";

const DEPLOYMENT = "apps/v1 Deployment demo/demo-web";
const CONFIGMAP = "v1 ConfigMap demo/demo-sidecar";
const CHART_DIR = path.join(FIXTURE_CHARTS, "demo-0.1.0");

/** What the API server would refuse in the demo chart, in the order the chart renders it. */
const DEMO_PROBLEMS = [
    {
        subject: CONFIGMAP, source: "demo/charts/sidecar/templates/configmap.yaml", level: "error", kind: "invalid",
        path: "metadata.labels[\"app.kubernetes.io/part-of\"]",
        message: "Invalid value: \"demo platform\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    },
    { subject: CONFIGMAP, source: "demo/charts/sidecar/templates/configmap.yaml", level: "error", kind: "invalid", path: "data.count", message: "must be string (upstream schema)" },
    { subject: DEPLOYMENT, source: "demo/templates/deployment.yaml", level: "error", kind: "invalid", path: "spec.template.spec.volumes[1].name", message: "Duplicate value: \"data\"" },
    { subject: DEPLOYMENT, source: "demo/templates/deployment.yaml", level: "error", kind: "invalid", path: "spec.template.spec.containers[0].volumeMounts[1].name", message: "Not found: \"cache\"" },
    { subject: DEPLOYMENT, source: "demo/templates/deployment.yaml", level: "error", kind: "invalid", path: "spec.template.spec.containers[0].volumeMounts[2].mountPath", message: "Invalid value: \"/data\": must be unique" },
    {
        subject: DEPLOYMENT, source: "demo/templates/deployment.yaml", level: "error", kind: "invalid", path: "spec.template.spec.containers[1].name",
        message: "Invalid value: \"Helper_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    },
    {
        subject: "demo.example.com/v1 Widget demo/demo-widget", level: "error", kind: "unknown-field", path: "spec.colour", source: "demo/templates/widget.yaml",
        message: "unknown field: CRD widgets.demo.example.com (from demo-chart) does not declare it, so the API server drops it silently",
    },
    { level: "note", kind: "note", subject: "Widget.demo.example.com", path: "", message: "1 CEL rule (x-kubernetes-validations) of its CRD not evaluated offline" },
];

const CHART_PREFIX = "urn:pulumi:test::gitops-hub::gitops-hub:test:Demo$kubernetes:helm.sh/v4:Chart";

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "gitops-hub-render-spec-"));
}

describe("plan --render on a chart of the project's own (real helm)", function () {
    let helm: string;
    before(function () {
        helm = requireTool(this, "helm");
    });

    describe("from an unpacked mirror directory", () => {
        let render: Awaited<ReturnType<typeof renderStack>>;
        before(async () => {
            render = await renderStack(demoPlan(), { charts: FIXTURE_CHARTS, helm });
        });

        it("renders the chart with its subchart and CRD, and lists the hook helm.v4.Chart drops", () => {
            const { problems, ...chart } = render.charts[0];
            expect(render.charts).to.have.length(1);
            expect(chart).to.deep.equal({
                name: "demo-chart", type: "kubernetes:helm.sh/v4:Chart", installer: "helm.v4.Chart",
                chart: "demo", version: "0.1.0", release: "demo", namespace: "demo",
                source: `${CHART_DIR}${path.sep}`, status: "rendered", objects: 5, crds: 1,
                hooks: [{ kind: "Job", name: "demo-migrate", hook: "pre-install,pre-upgrade", source: "demo/templates/hook.yaml", handling: "dropped" }],
            });
            expect(problems).to.have.length(DEMO_PROBLEMS.length);
            expect(render.crds).to.equal(1);
        });

        it("reports every object the API server would refuse: field, template and the API server's words", () => {
            expect(render.charts[0].problems).to.deep.equal(DEMO_PROBLEMS);
        });

        it("validates the program's custom resources against the CRD the chart renders", () => {
            expect(render.program).to.deep.equal({
                customResources: 5,
                validated: 2,
                problems: [
                    { subject: "kubernetes:demo.example.com/v1:Widget bad", level: "error", kind: "invalid", path: "spec.size", message: "must be integer (CRD widgets.demo.example.com from demo-chart)" },
                    { subject: "kubernetes:demo.example.com/v1:Widget bad", level: "error", kind: "invalid", path: "spec.color", message: "Unsupported value: supported values: \"red\", \"blue\" (CRD widgets.demo.example.com from demo-chart)" },
                    {
                        subject: "kubernetes:demo.example.com/v1:Widget bad", level: "error", kind: "unknown-field", path: "spec.colour",
                        message: "unknown field: CRD widgets.demo.example.com (from demo-chart) does not declare it, so the API server drops it silently",
                    },
                    {
                        subject: "kubernetes:demo.example.com/v1beta1:Widget old", level: "error", kind: "invalid", path: "apiVersion",
                        message: "CRD widgets.demo.example.com (installed by demo-chart) does not serve demo.example.com/v1beta1; it serves demo.example.com/v1",
                    },
                    {
                        subject: "kubernetes:gateway.networking.k8s.io/v1:Gateway", level: "note", kind: "crd-missing", path: "",
                        message: "not validated: the Gateway API CRDs (experimental channel, for TLSRoute) are a prerequisite of the hub cluster; no chart of this stack installs them (1: gateway)",
                    },
                    {
                        subject: "kubernetes:other.example.com/v1:Thing", level: "warning", kind: "crd-missing", path: "",
                        message: "not validated: no rendered chart installs a CRD for Thing.other.example.com; the CRD must exist before this resource is created (1: thing)",
                    },
                    { level: "note", kind: "note", subject: "Widget.demo.example.com", path: "", message: "1 CEL rule (x-kubernetes-validations) of its CRD not evaluated offline" },
                ],
            });
        });

        it("registers the children as helm.v4.Chart does: type token, `<chart>:<namespace>/<name>`, parent, default namespace, secret Secret data", () => {
            expect(render.children.map((c) => [c.type, c.name, c.urn])).to.deep.equal([
                ["kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "demo-chart:widgets.demo.example.com", `${CHART_PREFIX}$kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::demo-chart:widgets.demo.example.com`],
                ["kubernetes:core/v1:Secret", "demo-chart:demo/demo-credentials", `${CHART_PREFIX}$kubernetes:core/v1:Secret::demo-chart:demo/demo-credentials`],
                ["kubernetes:core/v1:ConfigMap", "demo-chart:demo/demo-sidecar", `${CHART_PREFIX}$kubernetes:core/v1:ConfigMap::demo-chart:demo/demo-sidecar`],
                ["kubernetes:apps/v1:Deployment", "demo-chart:demo/demo-web", `${CHART_PREFIX}$kubernetes:apps/v1:Deployment::demo-chart:demo/demo-web`],
                ["kubernetes:demo.example.com/v1:Widget", "demo-chart:demo/demo-widget", `${CHART_PREFIX}$kubernetes:demo.example.com/v1:Widget::demo-chart:demo/demo-widget`],
            ]);
            expect(new Set(render.children.map((c) => c.parent))).to.deep.equal(new Set([`${CHART_PREFIX}::demo-chart`]));
            // The template sets no namespace; the provider gives a namespaced kind the Chart's.
            const deployment = render.children.find((c) => c.name === "demo-chart:demo/demo-web")!;
            expect((deployment.inputs.metadata as Record<string, unknown>).namespace).to.equal("demo");
            const crd = render.children.find((c) => c.type.endsWith(":CustomResourceDefinition"))!;
            expect(crd.inputs.metadata).to.deep.equal({ name: "widgets.demo.example.com" });
            const secret = render.children.find((c) => c.type === "kubernetes:core/v1:Secret")!;
            expect(secret.inputs.stringData).to.be.instanceOf(SecretValue);
            expect(secret.secretPaths).to.deep.equal(["stringData"]);
            expect(render.releaseObjects.size).to.equal(0);
        });

        it("blocks the plan: 1 chart, 5 objects, 1 hook dropped, 11 errors", () => {
            expect(renderTotals(render)).to.deep.equal({ charts: 1, failed: 0, objects: 5, hooksDropped: 1, errors: 11, warnings: 1, notes: 3 });
            expect(renderBlocks(render)).to.equal(true);
        });

        it("runs the policy pack over the children the same way as over the program's resources, each finding marked with its chart", async () => {
            const plan = demoPlan();
            const config = resolvePolicyConfig({
                all: "disabled",
                "require-pod-probes": "mandatory",
                "no-literal-secrets-in-prod": { enforcementLevel: "mandatory", environment: "prod", exemptions: [{ namespaces: ["demo"], names: ["demo-credentials"], reason: "The demo chart renders a fixed test password." }] },
            }, policies);
            const findings = await judgeStack(plan, render, policies, config, "test");
            expect(findings.map((f) => [f.policy, f.enforcementLevel, f.resource?.name, f.path, f.message, f.exempted ?? null, f.renderedBy])).to.deep.equal([
                ["no-literal-secrets-in-prod", "mandatory", "demo-chart:demo/demo-credentials", "stringData", "stringData sets \"password\"; literal Secrets are not allowed in prod.",
                    "The demo chart renders a fixed test password.", { chart: "demo-chart", releaseObject: false }],
                ["require-pod-probes", "mandatory", "demo-chart:demo/demo-web", "spec.template.spec.containers[0]", "container \"web\" defines none of livenessProbe, readinessProbe, startupProbe; at least one is required.",
                    null, { chart: "demo-chart", releaseObject: false }],
            ]);
            expect(exemptionsApplied(findings)).to.equal(1);
        });

        it("writes the rendered objects under rendered/<release>/, hooks under hooks/, Secret data masked", () => {
            const files = renderedFiles(render);
            expect(files.map((f) => f.path)).to.deep.equal([
                "rendered/demo/_cluster/customresourcedefinition-widgets.demo.example.com.yaml",
                "rendered/demo/demo/configmap-demo-sidecar.yaml",
                "rendered/demo/demo/deployment-demo-web.yaml",
                "rendered/demo/demo/secret-demo-credentials.yaml",
                "rendered/demo/demo/widget-demo-widget.yaml",
                "rendered/demo/hooks/job-demo-migrate.yaml",
            ]);
            const secret = files.find((f) => f.path.endsWith("secret-demo-credentials.yaml"))!.content;
            expect(secret).to.contain("password: \"[secret]\"");
            expect(secret).not.to.contain("rendered-by-the-chart");
        });

        it("prints per chart its source, object count, hooks and problems", () => {
            expect(RENDER_KUBERNETES_VERSION).to.equal("v1.34.0");
            const text = renderSectionText(render, [], 0);
            const expected = [
                `Charts rendered with helm ${render.helm.version} (${helm}) for Kubernetes ${RENDER_KUBERNETES_VERSION}, from --charts ${FIXTURE_CHARTS}`,
                ...(render.helm.warning ? [`  warning: ${render.helm.warning}`] : []),
                "",
                "  demo-chart  demo 0.1.0  release demo in demo  (helm.v4.Chart)",
                `    source ${CHART_DIR}${path.sep}`,
                "    5 objects (1 CRD); 1 hook dropped by helm.v4.Chart; policy findings on its objects: 0 mandatory, 0 advisory, 0 exempted",
                "      pre-install,pre-upgrade  Job demo-migrate  dropped  (demo/templates/hook.yaml)",
                `    [error] ${CONFIGMAP}  metadata.labels["app.kubernetes.io/part-of"]  (demo/charts/sidecar/templates/configmap.yaml)`,
                `        ${DEMO_PROBLEMS[0].message}`,
            ];
            expect(text.slice(0, expected.length)).to.deep.equal(expected);
            expect(text[text.length - 1]).to.equal("Render: 1 chart (0 failed), 5 objects, 1 hook dropped; 11 errors, 1 warning, 3 notes; 0 exemptions applied");
        });
    });

    it("keeps a secret value secret after rendering: helm gets it, the rendered objects, files and policy messages do not show it", async () => {
        const image = "ghcr.io/acme/private-image:1.0.0";
        const render = await renderStack(planWith(namespace("demo"), demoChart({ image: new SecretValue(image) })), { charts: FIXTURE_CHARTS, helm });
        const deployment = render.children.find((c) => c.type === "kubernetes:apps/v1:Deployment")!;
        const containers = ((deployment.inputs.spec as any).template.spec.containers as { image: unknown }[]);
        expect(containers.map((c) => c.image instanceof SecretValue && c.image.value === image)).to.deep.equal([true, true]);
        const files = renderedFiles(render).map((f) => f.content).join("\n");
        expect(files).to.contain("image: \"[secret]\"");
        expect(files).not.to.contain(image);
        const config = resolvePolicyConfig({ all: "disabled", "restrict-image-registries": { enforcementLevel: "mandatory", allowedRegistries: ["registry.k8s.io/"] } }, policies);
        const findings = await judgeStack(planWith(namespace("demo"), demoChart({ image: new SecretValue(image) })), render, policies, config, "test");
        expect(findings.map((f) => [f.resource?.name, f.path, f.message])).to.deep.equal(["web", "Helper_1"].map((name, i) => [
            "demo-chart:demo/demo-web", `spec.template.spec.containers[${i}].image`,
            `container "${name}" uses image "[secret]", which is not from an allowed registry (registry.k8s.io/).`,
        ]));
        expect(JSON.stringify(findings)).not.to.contain(image);
        expect(JSON.stringify([render.charts, render.program])).not.to.contain(image);
    });

    it("renders the same from the .tgz `helm package` writes", async () => {
        const mirror = tempDir();
        execFileSync(helm, ["package", CHART_DIR, "--destination", mirror], { encoding: "utf8" });
        expect(fs.readdirSync(mirror)).to.deep.equal(["demo-0.1.0.tgz"]);
        const render = await renderStack(demoPlan(), { charts: mirror, helm });
        const { source, ...chart } = render.charts[0];
        expect(source).to.equal(path.join(mirror, "demo-0.1.0.tgz"));
        expect(chart.objects).to.equal(5);
        expect(chart.problems).to.deep.equal(DEMO_PROBLEMS);
        expect(chart.hooks.map((h) => h.name)).to.deep.equal(["demo-migrate"]);
    });

    it("fails when the chart's values.schema.json refuses the values, naming each refusal", async () => {
        const render = await renderStack(planWith(namespace("demo"), demoChart({ replicas: 0, colour: "blue" })), { charts: FIXTURE_CHARTS, helm });
        expect(render.charts[0].status).to.equal("failed");
        expect(render.charts[0].objects).to.equal(0);
        expect(render.charts[0].problems).to.deep.equal([
            { level: "error", kind: "values-schema", subject: "values", path: "/replicas", message: "values refused by demo's values.schema.json: at '/replicas': minimum: got 0, want 1" },
            { level: "error", kind: "values-schema", subject: "values", path: "/", message: "values refused by demo's values.schema.json: at '': additional properties 'colour' not allowed" },
        ]);
        expect(renderBlocks(render)).to.equal(true);
    });

    it("fails when the mirror lacks a chart: one error naming chart, version and the helm pull command", async () => {
        const mirror = tempDir();
        try {
            await renderStack(planWith(demoChart({}, "absent", "1.2.3")), { charts: mirror, helm });
            expect.fail("renderStack resolved");
        } catch (error) {
            expect(error).to.be.instanceOf(PlanUsageError);
            expect((error as PlanUsageError).message).to.equal(`--charts ${mirror}: 1 of the 1 charts the stack installs is missing or not the pinned version`);
            expect((error as PlanUsageError).problems).to.deep.equal([
                `absent 1.2.3 (demo-chart): neither absent-1.2.3.tgz nor absent-1.2.3/ is in ${mirror}; fetch it with: helm pull absent --repo ${FIXTURE_REPO} --version 1.2.3 --destination ${mirror}`,
            ]);
        }
    });

    it("fails when the mirror holds another version under the pinned chart's file name", async () => {
        const mirror = tempDir();
        fs.cpSync(CHART_DIR, path.join(mirror, "demo-0.2.0"), { recursive: true });
        try {
            await renderStack(planWith(demoChart({}, "demo", "0.2.0")), { charts: mirror, helm });
            expect.fail("renderStack resolved");
        } catch (error) {
            expect((error as PlanUsageError).problems).to.deep.equal([
                `${path.join(mirror, "demo-0.2.0")} holds chart demo 0.1.0, not demo 0.2.0; replace it with: helm pull demo --repo ${FIXTURE_REPO} --version 0.2.0 --destination ${mirror}`,
            ]);
        }
    });

    it("fails when helm cannot download a chart without a mirror: helm's error and the --charts hint", async () => {
        const chart = recorded("kubernetes:helm.sh/v4:Chart", "demo-chart", { chart: "demo", version: "0.1.0", repositoryOpts: { repo: "http://127.0.0.1:9" }, name: "demo", namespace: "demo", values: {} });
        const render = await renderStack(planWith(namespace("demo"), chart), { helm });
        expect(render.charts[0].source).to.equal("http://127.0.0.1:9 (downloaded by helm)");
        expect(render.charts[0].problems).to.deep.equal([{
            level: "error", kind: "render-failed", path: "",
            message: "helm template failed: Error: looks like \"http://127.0.0.1:9\" is not a valid chart repository or cannot be reached: Get \"http://127.0.0.1:9/index.yaml\": dial tcp 127.0.0.1:9: connect: connection refused\n" +
                "(helm could not download demo 0.1.0 from http://127.0.0.1:9; offline, pass --charts DIR with a mirror)",
        }]);
    });

    it("fails when the program and a chart declare the same object, or an object lands in a namespace nobody creates", async () => {
        const configMap = recorded("kubernetes:core/v1:ConfigMap", "sidecar", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "demo-sidecar", namespace: "demo" }, data: {} });
        const render = await renderStack(planWith(configMap, demoChart()), { charts: FIXTURE_CHARTS, helm });
        const conflicts = [...render.charts[0].problems, ...render.program.problems].filter((p) => p.kind === "conflict");
        const noNamespace = "namespace \"demo\" is created neither by the program nor by a chart; the create fails (namespaces \"demo\" not found)";
        expect(conflicts.map((p) => [p.subject, p.path, p.message])).to.deep.equal([
            ["v1 Secret demo/demo-credentials", "metadata.namespace", noNamespace],
            [CONFIGMAP, "metadata.namespace", noNamespace],
            [DEPLOYMENT, "metadata.namespace", noNamespace],
            ["demo.example.com/v1 Widget demo/demo-widget", "metadata.namespace", noNamespace],
            ["kubernetes:core/v1:ConfigMap sidecar", "", "also declared by demo-chart (helm.v4.Chart demo 0.1.0); the second create fails with AlreadyExists (or the two fight over it)"],
            ["kubernetes:core/v1:ConfigMap sidecar", "metadata.namespace", noNamespace],
        ]);
    });

    it("treats a Helm release (CertManager) as helm does: its hooks run, its tests do not, its objects are marked and hidden from stack policies", async () => {
        const release = recorded("kubernetes-cert-manager:index:CertManager", "cm-chart", {
            replicas: 2,
            widget: { size: 4 },
            helmOptions: { chart: "demo", name: "demo", namespace: "demo", version: "0.1.0", repositoryOpts: { repo: FIXTURE_REPO } },
        }, { custom: false });
        const plan = planWith(namespace("demo"), release);
        const render = await renderStack(plan, { charts: FIXTURE_CHARTS, helm });
        const chart = render.charts[0];
        expect([chart.installer, chart.chart, chart.release, chart.objects]).to.deep.equal(["CertManager", "demo", "demo", 6]);
        expect(chart.hooks.map((h) => [h.name, h.handling])).to.deep.equal([["demo-migrate", "run by helm"]]);
        // The typed inputs are the values: replicas 2 reaches the Deployment.
        const deployment = render.children.find((c) => c.type === "kubernetes:apps/v1:Deployment")!;
        expect((deployment.inputs.spec as Record<string, unknown>).replicas).to.equal(2);
        expect(render.releaseObjects.size).to.equal(6);

        const seenByStackPolicy: string[] = [];
        const probe: StackRule = {
            ...(policies.find((r) => r.id === "tenant-complete") as StackRule),
            id: "sees",
            description: "records what a stack policy sees",
            check: (resources) => {
                seenByStackPolicy.push(...resources.map((r) => r.name));
                return [];
            },
        };
        const pack = [...policies, probe];
        const config = resolvePolicyConfig({ all: "disabled", sees: "advisory", "require-pod-probes": "mandatory" }, pack);
        const findings = await judgeStack(plan, render, pack, config, "test");
        expect(seenByStackPolicy.sort()).to.deep.equal(["cm-chart", "demo", "demo-namespace"]);
        // The hook Job runs in a release, so the pack judges it too.
        expect(findings.map((f) => [f.policy, f.resource?.name, f.path, f.renderedBy])).to.deep.equal([
            ["require-pod-probes", "cm-chart:demo/demo-web", "spec.template.spec.containers[0]", { chart: "cm-chart", releaseObject: true }],
            ["require-pod-probes", "cm-chart:demo/demo-migrate", "spec.template.spec.containers[0]", { chart: "cm-chart", releaseObject: true }],
        ]);
    });

    it("fails when the stack's charts are not in the mirror: `plan --render --charts` exits 2 naming every pinned chart with its helm pull command", () => {
        const run = runCli("plan/main.ts", ["--stack", "dev", "--render", "--charts", FIXTURE_CHARTS]);
        expect(run.status).to.equal(2);
        const pinned = [
            CHARTS.argocd, CHARTS.externalSecrets, CHARTS.kyverno, CHARTS.policyReporter, CHARTS.vault, CHARTS.vcluster,
        ];
        const lines = run.stderr.trimEnd().split("\n");
        expect(lines[0]).to.equal(`error: --charts ${FIXTURE_CHARTS}: 7 of the 7 charts the stack installs are missing or not the pinned version`);
        const expected = [
            { chart: "cert-manager", version: CERT_MANAGER_VERSION, repo: CERT_MANAGER_REPO },
            ...pinned,
        ].map((c) => `helm pull ${c.chart} --repo ${c.repo} --version ${c.version} --destination ${FIXTURE_CHARTS}`);
        expect(lines.slice(1).map((l) => l.split("fetch it with: ")[1]).sort()).to.deep.equal(expected.sort());
    });
});

describe("plan --render: which helm", () => {
    it("takes the pinned version, accepts another Helm 3 with a warning, and refuses another major line", () => {
        expect(judgeHelmVersion("v3.19.0", "v3.19.0")).to.deep.equal({});
        expect(judgeHelmVersion("v3.19", "v3.19.0", "/x/helm")).to.deep.equal({ warning: "/x/helm reports v3.19 without a patch version (a `go build` without Helm's release flags); pinned v3.19.0" });
        expect(judgeHelmVersion("v3.18.4", "v3.19.0", "helm")).to.deep.equal({ warning: "helm is Helm v3.18.4, not the pinned v3.19.0 (components/versions.ts TOOLS.helm); rendering may differ from what the provider's embedded Helm does" });
        expect(() => judgeHelmVersion("v4.0.1", "v3.19.0", "helm")).to.throw(PlanUsageError, "helm is Helm v4.0.1; plan --render needs the Helm 3 line the Kubernetes provider embeds (pinned v3.19.0 in components/versions.ts TOOLS.helm)");
        expect(() => judgeHelmVersion("dev", "v3.19.0", "helm")).to.throw(PlanUsageError, "helm reports version \"dev\", which is not a Helm version");
    });

    it("fails when HELM points at nothing, naming the path and how to get helm", async () => {
        try {
            await locateHelm("/nonexistent/helm");
            expect.fail("locateHelm resolved");
        } catch (error) {
            expect((error as PlanUsageError).message).to.equal("helm not found at /nonexistent/helm");
            expect((error as PlanUsageError).problems[0]).to.match(/^helm v3\.19\.0 not found: run `npm run tools -- install helm` \(needs Go\), put helm on PATH, or set HELM=\/path\/to\/helm$/);
        }
    });

    it("asks the binary itself: a Helm 4 on HELM is refused before anything renders", async function () {
        if (process.platform === "win32") this.skip();
        const fake = path.join(tempDir(), "helm");
        fs.writeFileSync(fake, "#!/bin/sh\n[ \"$1 $2 $3\" = \"version --template {{.Version}}\" ] && echo v4.0.1\n", { mode: 0o755 });
        try {
            await locateHelm(fake);
            expect.fail("locateHelm resolved");
        } catch (error) {
            expect((error as PlanUsageError).message).to.equal(`${fake} is Helm v4.0.1; plan --render needs the Helm 3 line the Kubernetes provider embeds (pinned v3.19.0 in components/versions.ts TOOLS.helm)`);
        }
    });
});
