import { expect } from "chai";
import type { PulumiResource } from "../../catalog/core/types";
import { vaultNoDevModeOutsideDev as rule } from "../../catalog/platform/vault-no-dev-mode-outside-dev";

function vault(dev: unknown, chart = "vault"): PulumiResource {
    return {
        type: "kubernetes:helm.sh/v4:Chart",
        name: "hub-vault",
        props: { chart, version: "0.29.1", namespace: "vault", repositoryOpts: { repo: "https://helm.releases.hashicorp.com" }, values: { server: { dev: { enabled: dev } } } },
    };
}

describe("vault-no-dev-mode-outside-dev", () => {
    it("passes HA Vault in prod and dev-mode Vault in dev", () => {
        expect(rule.check(vault(false), { settings: {}, environment: "prod" })).to.deep.equal([]);
        expect(rule.check(vault(true), { settings: {}, environment: "dev" })).to.deep.equal([]);
    });

    it("ignores other charts", () => {
        expect(rule.check(vault(true, "vcluster"), { settings: {}, environment: "prod" })).to.deep.equal([]);
    });

    it("fails for dev mode in prod", () => {
        expect(rule.check(vault(true), { settings: {}, environment: "prod" })).to.deep.equal([
            { path: "values.server.dev.enabled", message: 'values.server.dev.enabled is true in environment "prod"; Vault dev mode is only allowed in "dev".' },
        ]);
    });

    it("fails for dev mode when the environment is unknown (fail closed)", () => {
        expect(rule.check(vault(true), { settings: {} })).to.deep.equal([
            { path: "values.server.dev.enabled", message: 'values.server.dev.enabled is true in environment undefined; Vault dev mode is only allowed in "dev".' },
        ]);
    });

    it("recognises an oci:// vault chart", () => {
        expect(rule.check(vault(true, "oci://registry.example.com/charts/vault"), { settings: {}, environment: "staging" })).to.have.length(1);
    });
});
