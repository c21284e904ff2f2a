// The hub under settings the committed stacks do not use: other issuers, auto-unseal, an
// external Vault, bigger sizing profiles, no Vault token; and the pure helpers behind them.
import { expect } from "chai";
import { SIZING_THRESHOLDS, argoCdReplicas, rbacPolicy, sizingProfile } from "../components/hub/argocd";
import { raftConfig, sealStanza } from "../components/hub/vault-server";
import type { RunResult } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import type { ConfigError } from "../stacks/loader";
import { byName, ofType, runStack } from "./helpers";

const CHART = "kubernetes:helm.sh/v4:Chart";
const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";

function platformOf(stack: string): any {
    return JSON.parse(JSON.stringify(readStackFile(stack).config.platform));
}
const inputs = (r: { inputs: unknown }) => r.inputs as any;

/** The loader's problems with a stack that has this platform (and no tenants); the program registers nothing. */
async function refusal(platform: unknown, stack: string): Promise<string[]> {
    try {
        await runStack(stack, { platform, tenants: [] });
    } catch (error) {
        // The recorder loads the program's modules afresh, so the error is its loader's ConfigError.
        expect((error as Error).name).to.equal("ConfigError");
        return (error as ConfigError).problems;
    }
    return expect.fail("the program ran");
}
const chartValues = (result: RunResult, name: string) => inputs(byName(result, CHART, name)).values;

const KMS = { type: "awskms", settings: { region: "eu-central-1", kms_key_id: "alias/vault-unseal" } };

describe("hub variants", function () {
    this.timeout(120_000);

    describe("issuers", () => {
        it("uses the CA in a secret created outside Pulumi for `ca`, with no self-signed bootstrap", async () => {
            const platform = platformOf("dev");
            platform.certManager = { issuer: { type: "ca", secretName: "corp-ca" } };
            const result = await runStack("dev", { platform, tenants: [] });
            expect(ofType(result, ISSUER).map((r) => inputs(r))).to.deep.equal([{
                apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "platform-ca" }, spec: { ca: { secretName: "corp-ca" } },
            }]);
            expect(ofType(result, CERTIFICATE).map((r) => r.name)).to.deep.equal(["argocd-server-certificate"]);
            expect(result.outputs.clusterIssuer).to.equal("platform-ca");
        });
    });

    describe("Vault", () => {
        it("renders the auto-unseal seal stanza into the raft config", async () => {
            const platform = platformOf("prod");
            platform.vault.autoUnseal = KMS;
            const result = await runStack("prod", { platform, tenants: [] });
            const config: string = chartValues(result, "vault-chart").server.ha.raft.config;
            expect(config.endsWith('service_registration "kubernetes" {}\n\nseal "awskms" {\n  kms_key_id = "alias/vault-unseal"\n  region = "eu-central-1"\n}\n')).to.equal(true);
        });

        it("tells the operator to initialise with recovery keys and skip unsealing under auto-unseal", async () => {
            const platform = platformOf("prod");
            platform.vault.autoUnseal = KMS;
            platform.vault.initialized = false;
            const result = await runStack("prod", { platform, tenants: [] });
            const lines = String(result.outputs.vaultNextSteps).split("\n");
            expect(lines.slice(3, 8)).to.deep.equal([
                "     kubectl -n vault exec vault-0 -- vault operator init -recovery-shares=5 -recovery-threshold=3 -format=json > vault-init.json",
                '2. Nothing to unseal: the servers unseal themselves through the "awskms" seal. Check with:',
                "     kubectl -n vault exec vault-0 -- vault status",
                "     kubectl -n vault exec vault-1 -- vault status",
                "     kubectl -n vault exec vault-2 -- vault status",
            ]);
        });

        it("fails when an auto-unseal setting is not a seal parameter name, before anything is registered", async () => {
            const platform = platformOf("prod");
            platform.vault.autoUnseal = { type: "awskms", settings: { "region\n}\nui": "x" } };
            expect(await refusal(platform, "prod")).to.deep.equal([
                'platform.vault.autoUnseal.settings keys "region\\n}\\nui" must be seal parameter names (lowercase letters, digits, "_"), e.g. "kms_key_id"',
            ]);
        });

        it("keeps the chart's dev token when the dev stack sets no gitops-hub:vaultToken", async () => {
            const result = await runStack("dev", { tenants: [], secrets: {} });
            expect(chartValues(result, "vault-chart").server.dev).to.deep.equal({ enabled: true });
            expect(byName(result, CHART, "vault-chart").secretPaths).to.deep.equal([]);
            expect(byName(result, "pulumi:providers:vault", "vault").inputs).to.not.have.property("token");
        });

        it("deploys no Vault server for an external Vault and points the platform store at it", async () => {
            const platform = platformOf("dev");
            platform.vault = { mode: "external", address: "https://vault.example.com:8200", inClusterAddress: "https://vault.example.com:8200" };
            const result = await runStack("dev", { platform, tenants: [] });
            expect(result.resources.filter((r) => r.type === "gitops-hub:hub:VaultServer" || r.name.startsWith("vault-chart"))).to.deep.equal([]);
            expect(inputs(byName(result, STORE, "external-secrets-platform-store")).spec.provider.vault).to.deep.equal({
                server: "https://vault.example.com:8200",
                path: "platform",
                version: "v2",
                auth: { kubernetes: { mountPath: "kubernetes", role: "external-secrets", serviceAccountRef: { name: "external-secrets", namespace: "external-secrets", audiences: ["vault"] } } },
            });
            expect(result.outputs.vaultNextSteps).to.equal("Vault is external; nothing to initialise.");
        });
    });

    describe("Argo CD", () => {
        it("shards the application controller across replicas in the large profile", async () => {
            const platform = platformOf("prod");
            platform.argocd.sizing = "large";
            const result = await runStack("prod", { platform, tenants: [] });
            const values = chartValues(result, "argocd-chart");
            expect([values.controller.replicas, values.repoServer.replicas, values.applicationSet.replicas, values.server.replicas]).to.deep.equal([4, 5, 2, 3]);
            expect(values.configs.params).to.deep.equal({ "server.insecure": true, "controller.sharding.algorithm": "consistent-hashing" });
            expect(result.outputs.argocdSizingProfile).to.equal("large");
        });

        it("runs HA Redis from the medium profile on, even in dev", async () => {
            const platform = platformOf("dev");
            for (const [sizing, enabled] of [["small", false], ["medium", true], ["large", true]] as const) {
                platform.argocd.sizing = sizing;
                const values = chartValues(await runStack("dev", { platform, tenants: [] }), "argocd-chart");
                expect([sizing, values.redis.enabled, values["redis-ha"].enabled]).to.deep.equal([sizing, !enabled, enabled]);
            }
        });

        it("gives HA Redis the password from the argocd-redis Secret in prod", async () => {
            const result = await runStack("prod", { tenants: [] });
            const redisHa = chartValues(result, "argocd-chart")["redis-ha"];
            expect([redisHa.enabled, redisHa.auth, redisHa.existingSecret, redisHa.authKey]).to.deep.equal([true, true, "argocd-redis", "auth"]);
            expect(redisHa.containerSecurityContext).to.deep.equal({
                runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
            });
        });

        it("offers a port-forward instead of a URL, and no Ingress, without a hostname", async () => {
            const platform = platformOf("dev");
            delete platform.argocd.hostname;
            const result = await runStack("dev", { platform, tenants: [] });
            expect(result.outputs.argocdUrl).to.equal("no Ingress: kubectl -n argocd port-forward svc/argocd-server 8080:80, then open http://localhost:8080");
            expect(result.resources.filter((r) => r.type.endsWith(":Ingress") || r.name === "argocd-server-certificate")).to.deep.equal([]);
        });

        it("fails when OIDC is set without a hostname to redirect to", async () => {
            const platform = platformOf("prod");
            delete platform.argocd.hostname;
            expect(await refusal(platform, "prod")).to.deep.equal([
                'platform.argocd.oidc is set but platform.argocd.hostname is not; SSO redirects to the UI\'s URL, so set a hostname, e.g. "argocd.gitops.example.com"',
            ]);
        });
    });

    describe("Kyverno", () => {
        it("fails when the admission controller is asked for 2 replicas, or fewer than 3 in prod", async () => {
            const dev = platformOf("dev");
            dev.kyverno = { admissionReplicas: 2 };
            expect(await refusal(dev, "dev")).to.deep.equal([
                "platform.kyverno.admissionReplicas 2: Kyverno's admission controller is highly available with 3 or more replicas (2 is not supported); use 1 or 3",
            ]);
            const prod = platformOf("prod");
            prod.kyverno = { admissionReplicas: 1 };
            expect(await refusal(prod, "prod")).to.deep.equal([
                "platform.kyverno.admissionReplicas 1: Kyverno's admission controller is highly available with 3 or more replicas (2 is not supported); use 3",
            ]);
        });
    });

    describe("pure helpers", () => {
        it("picks the sizing profile from the tenant count at the stated thresholds", () => {
            expect(SIZING_THRESHOLDS).to.deep.equal({ small: 50, medium: 300 });
            expect([0, 50, 51, 300, 301, 5000].map((n) => sizingProfile("auto", n))).to.deep.equal(["small", "small", "medium", "medium", "large", "large"]);
            expect(sizingProfile("medium", 0)).to.equal("medium");
        });

        it("gives every stateless server at least two replicas under HA", () => {
            expect(argoCdReplicas("small", false)).to.deep.equal({ controller: 1, repoServer: 1, applicationSet: 1, server: 1 });
            expect(argoCdReplicas("small", true)).to.deep.equal({ controller: 1, repoServer: 2, applicationSet: 2, server: 2 });
            expect(argoCdReplicas("medium", true)).to.deep.equal({ controller: 2, repoServer: 3, applicationSet: 2, server: 2 });
        });

        it("leaves policy.csv empty without admin or read-only groups, and sets no default role", () => {
            expect(rbacPolicy([])).to.deep.equal({ "policy.default": "", "policy.csv": "", scopes: "[groups]" });
            expect(rbacPolicy(["a", "b"])["policy.csv"]).to.equal("g, a, role:admin\ng, b, role:admin\n");
            expect(rbacPolicy(["a"], ["r"])["policy.csv"]).to.equal("g, a, role:admin\ng, r, role:readonly\n");
        });

        it("writes one retry_join per raft peer", () => {
            expect(raftConfig(5).match(/retry_join \{/g)).to.have.length(5);
            expect(raftConfig(5)).to.contain('leader_api_addr     = "https://vault-4.vault-internal:8200"');
        });

        it("quotes seal settings as HCL strings", () => {
            expect(sealStanza({ type: "transit", settings: { address: "https://vault.example.com", key_name: 'a"b' } }))
                .to.equal('seal "transit" {\n  address = "https://vault.example.com"\n  key_name = "a\\"b"\n}');
        });
    });
});
