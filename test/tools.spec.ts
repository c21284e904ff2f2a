import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TOOLS } from "../components/versions";
import { cachedToolPath, toolEnvVar } from "../scripts/tools/main";
import { PROJECT_ROOT } from "../scripts/stack-file";
import { findTool, installHint, requireTool, toolVersion } from "./tools";

describe("pinned upstream tools", () => {
    it("caches each tool under .tools/ keyed by its pinned version", () => {
        expect(cachedToolPath("helm")).to.equal(path.join(PROJECT_ROOT, ".tools", "helm-v3.19.0", "helm"));
        expect(cachedToolPath("kyverno")).to.equal(path.join(PROJECT_ROOT, ".tools", "kyverno-v1.15.2", "kyverno"));
    });

    it("pins Helm 3 and the Kyverno release the pinned kyverno chart deploys", () => {
        expect(TOOLS.helm.version).to.match(/^v3\.\d+\.\d+$/);
        // kyverno chart 3.5.2 has appVersion v1.15.2.
        expect(TOOLS.kyverno.version).to.equal("v1.15.2");
    });

    it("takes the env var first: HELM, KYVERNO", () => {
        expect(toolEnvVar("helm")).to.equal("HELM");
        const saved = process.env.KYVERNO;
        process.env.KYVERNO = "/opt/bin/kyverno-from-env";
        try {
            expect(findTool("kyverno")).to.equal("/opt/bin/kyverno-from-env");
        } finally {
            if (saved === undefined) delete process.env.KYVERNO;
            else process.env.KYVERNO = saved;
        }
    });

    it("says in one line how to get a missing tool", () => {
        expect(installHint("kyverno")).to.equal(
            "kyverno v1.15.2 not found: run `npm run tools -- install kyverno` (needs Go), put kyverno on PATH, or set KYVERNO=/path/to/kyverno");
    });

    describe("a missing tool", () => {
        const missing = (): undefined => undefined;
        const context = (): Mocha.Context => ({ skip: () => { throw new Error("skipped"); } }) as unknown as Mocha.Context;
        let saved: string | undefined;
        beforeEach(() => { saved = process.env.GITOPS_HUB_REQUIRE_TOOLS; });
        afterEach(() => {
            if (saved === undefined) delete process.env.GITOPS_HUB_REQUIRE_TOOLS;
            else process.env.GITOPS_HUB_REQUIRE_TOOLS = saved;
        });

        it("skips the suite by default", () => {
            delete process.env.GITOPS_HUB_REQUIRE_TOOLS;
            expect(() => requireTool(context(), "helm", missing)).to.throw("skipped");
        });

        it("fails instead of skipping when GITOPS_HUB_REQUIRE_TOOLS=1", () => {
            process.env.GITOPS_HUB_REQUIRE_TOOLS = "1";
            expect(() => requireTool(context(), "helm", missing))
                .to.throw(`${installHint("helm")} (GITOPS_HUB_REQUIRE_TOOLS=1 turns this skip into a failure)`);
        });
    });

    describe("the binaries found report the pinned versions", () => {
        it("helm version --short is the pin", function () {
            const helm = requireTool(this, "helm");
            expect(toolVersion(helm, ["version", "--short"])).to.equal(TOOLS.helm.version);
        });

        it("helm assumes the Kubernetes version it is built for (1.34), not a source build's 1.20", function () {
            const helm = requireTool(this, "helm");
            const chart = fs.mkdtempSync(path.join(os.tmpdir(), "kube-version-"));
            fs.mkdirSync(path.join(chart, "templates"));
            fs.writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: kube-version\nversion: 0.1.0\nkubeVersion: \">= 1.25.0-0\"\n");
            fs.writeFileSync(path.join(chart, "templates", "cm.yaml"), "kubeVersion: {{ .Capabilities.KubeVersion.Version }}\n");
            try {
                expect(execFileSync(helm, ["template", chart], { encoding: "utf8" })).to.equal("---\n# Source: kube-version/templates/cm.yaml\nkubeVersion: v1.34.0\n");
            } finally {
                fs.rmSync(chart, { recursive: true, force: true });
            }
        });

        it("kyverno version is the pin", function () {
            const kyverno = requireTool(this, "kyverno");
            expect(toolVersion(kyverno, ["version"]).split("\n")[0]).to.equal(`Version: ${TOOLS.kyverno.version}`);
        });
    });
});
