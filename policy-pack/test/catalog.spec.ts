import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { rules } from "../catalog";
import { evaluate, resolvePackConfig } from "../evaluate";

const catalogDir = path.join(__dirname, "..", "catalog");

/** Every exported rule object of one file (an object with an `id` and a `scope`). */
function rulesExportedBy(file: string): { id: string; scope: string }[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    return Object.values(exported).filter((value): value is { id: string; scope: string } =>
        typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string" && typeof (value as { scope?: unknown }).scope === "string");
}

describe("catalog", () => {
    it("keeps each rule in the folder named after its scope, one rule per file named after its id, every one registered once", () => {
        const found: string[] = [];
        for (const scope of ["runtime", "platform", "stack"]) {
            for (const name of fs.readdirSync(path.join(catalogDir, scope)).filter((f) => f.endsWith(".ts")).sort()) {
                for (const rule of rulesExportedBy(path.join(catalogDir, scope, name))) {
                    expect({ file: `${scope}/${name}`, scope: rule.scope, id: rule.id }).to.deep.equal({ file: `${scope}/${rule.id}.ts`, scope, id: rule.id });
                    found.push(rule.id);
                }
            }
        }
        expect([...found].sort()).to.deep.equal(rules.map((rule) => rule.id).sort());
        expect(new Set(found).size).to.equal(found.length);
    });

    it("declares its settings in the rule that reads them, and only there", () => {
        const declared = new Map(rules.map((rule) => [rule.id, Object.keys(rule.settings ?? {})]));
        expect(Object.fromEntries([...declared].filter(([, settings]) => settings.length > 0))).to.deep.equal({
            "restrict-image-registries": ["allowedRegistries"],
            "cert-manager-limit-duration": ["maxCertificateDurationHours"],
            "cert-manager-limit-dnsnames": ["maxDnsNames"],
            "cert-manager-restrict-issuer": ["allowedIssuers", "allowedDomains"],
            "helm-chart-pinned": ["allowedChartRepositories"],
            "vault-no-dev-mode-outside-dev": ["environment"],
            "no-literal-secrets-in-prod": ["environment"],
        });
    });

    it("reports an Application in the default project once, by the rule named as upstream's Kyverno policy", () => {
        const application = {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: "shop", namespace: "argocd", annotations: { "gitops-hub.io/project-at-creation": "default" } },
            spec: { project: "default", source: { repoURL: "https://github.com/acme/shop.git", path: "shop", targetRevision: "v1.0.0" }, destination: { name: "team-a", namespace: "shop" } },
        };
        expect(evaluate([{ type: "kubernetes:argoproj.io/v1alpha1:Application", name: "shop", props: application }], resolvePackConfig({})).map((f) => [f.policy, f.path, f.message])).to.deep.equal([
            ["application-prevent-default-project", "spec.project", 'spec.project is "default"; the default project may not be used in an Application.'],
        ]);
    });
});
