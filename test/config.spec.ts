import { expect } from "chai";
import * as fs from "fs";
import { renderSchema, SCHEMA_FILE } from "../scripts/schema/main";
import { readStackFile } from "../scripts/stack-file";
import { ConfigError, parseStackConfig, RawStackConfig } from "../stacks/loader";

function load(values: Record<string, unknown>, secrets: string[] = []) {
    return parseStackConfig({ values, secretsSet: new Set(secrets) });
}

function problemsOf(raw: RawStackConfig | Record<string, unknown>, secrets: string[] = []): string[] {
    try {
        if ("values" in raw && "secretsSet" in raw) parseStackConfig(raw as RawStackConfig);
        else load(raw as Record<string, unknown>, secrets);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("expected a ConfigError");
}

const minimalPlatform = {
    environment: "dev",
    domain: "dev.example.com",
    argocd: { rootApp: { repoURL: "https://github.com/acme/gitops.git", path: "clusters/dev", targetRevision: "main" } },
    compliance: { allowedRegistries: ["ghcr.io/acme/"] },
};

// Each tenant's owner group after its name: a group owns one tenant.
const tenant = (extra: Record<string, unknown> = {}) => ({ name: "team-a", ownerGroups: [`${(extra.name as string | undefined) ?? "team-a"}-admins`], ...extra });

/** What prod requires beyond the minimal platform: tenant nodes and the API server's endpoints. */
const prodPlacement = {
    tenantNodes: { nodeSelector: { "gitops-hub.io/node-pool": "tenants" } },
    hubApiServer: { endpoints: [{ address: "10.0.0.10", port: 6443 }] },
};

describe("stack config", () => {
    describe("the committed stacks", () => {
        it("loads Pulumi.dev.yaml with dev defaults applied", () => {
            const file = readStackFile("dev");
            const { platform, tenants } = load(file.config);
            expect(platform.environment).to.equal("dev");
            expect(platform.protectStatefulResources).to.equal(false);
            expect(platform.vault).to.deep.equal({
                mode: "dev", address: "http://127.0.0.1:8200", initialized: true, replicas: 1, storageGiB: 1,
                audience: "vault", kubernetesHost: "https://kubernetes.default.svc",
                // Resolved by the loader: the dev server's Service, which External Secrets and tenants use.
                inClusterAddress: "http://vault.vault.svc:8200",
            });
            expect(platform.kyverno).to.deep.equal({ admissionReplicas: 1, validationFailureAction: "Audit", policyReporter: true });
            expect(platform.argocd.ha).to.equal(false);
            expect(platform.externalSecrets).to.deep.equal({ replicas: 1, refreshIntervalSeconds: 60 });
            expect(tenants.map((t) => t.name)).to.deep.equal(["team-a", "team-b"]);
            expect(tenants[0].vcluster.quota).to.deep.equal({ cpu: "2", memory: "4Gi", pods: 20, storageGiB: 10 });
            expect(tenants[0].addons).to.deep.equal({ kyverno: true, "kyverno-policies": true });
            expect(tenants[1].repos[1]).to.deep.equal({ url: "oci://ghcr.io/acme/charts", type: "oci", credentialsVaultKey: "repos/ghcr" });
        });

        it("loads Pulumi.prod.yaml with prod defaults applied", () => {
            const file = readStackFile("prod");
            const { platform, tenants } = load(file.config);
            expect(platform.environment).to.equal("prod");
            expect(platform.protectStatefulResources).to.equal(true);
            expect(platform.vault.mode).to.equal("ha");
            expect(platform.vault.replicas).to.equal(3);
            expect(platform.kyverno).to.deep.equal({ admissionReplicas: 3, validationFailureAction: "Enforce", policyReporter: true });
            expect(platform.argocd.ha).to.equal(true);
            expect(platform.certManager.issuer).to.deep.equal({
                type: "acme", email: "platform-team@example.com",
                server: "https://acme-v02.api.letsencrypt.org/directory", ingressClassName: "nginx",
            });
            expect(tenants.map((t) => t.name)).to.deep.equal(["payments", "search"]);
            expect(tenants[1].vcluster.quota).to.deep.equal({ cpu: "8", memory: "16Gi", pods: 100, storageGiB: 100 });
            expect(tenants[0].vcluster.quota).to.deep.equal({ cpu: "16", memory: "32Gi", pods: 200, storageGiB: 500 });
        });
    });

    describe("bad configs, each with its exact message", () => {
        const cases: [string, Record<string, unknown>, string[], string[]?][] = [
            ["fails when the environment is missing", { platform: { domain: "x.example.com" } },
                [`platform.environment is missing; set it to one of "dev", "prod"`]],
            ["fails when the environment is unknown", { platform: { ...minimalPlatform, environment: "staging" } },
                [`platform.environment "staging" must be one of "dev", "prod"`]],
            ["fails on an unknown top-level key, with a suggestion", { platform: minimalPlatform, tenant: [] },
                [`gitops-hub:tenant is not a setting of this project (did you mean "tenants"?); known settings: gitops-hub:platform, gitops-hub:tenants, gitops-hub:vaultToken, gitops-hub:hubStack`]],
            ["fails on an unknown nested key, with a suggestion", { platform: { ...minimalPlatform, vault: { mdoe: "dev" } } },
                [`platform.vault.mdoe is not a known setting (did you mean "mode"?); allowed here: mode, address, initialized, inClusterAddress, replicas, storageGiB, autoUnseal, audience, kubernetesHost`]],
            ["fails on a wrong enum value, with a suggestion", { platform: { ...minimalPlatform, kyverno: { validationFailureAction: "enforce" } } },
                [`platform.kyverno.validationFailureAction "enforce" must be one of "Audit", "Enforce" (did you mean "Enforce"?)`]],
            ["fails on a wrong type", { platform: { ...minimalPlatform, vault: { replicas: "three" } } },
                [`platform.vault.replicas "three" must be a number`]],
            ["fails on a domain Kubernetes would reject", { platform: { ...minimalPlatform, domain: "Dev_Example.com" } },
                [`platform.domain "Dev_Example.com" must be a DNS name (lowercase, dot-separated labels), e.g. "dev.gitops.example.com"`]],
            ["fails when a dev Vault is asked for in prod", { platform: { ...minimalPlatform, ...prodPlacement, environment: "prod", certManager: { issuer: { type: "ca", secretName: "corp-ca" } }, vault: { mode: "dev" } } },
                [`platform.vault.mode "dev" is only allowed in the dev environment (a dev server keeps every secret in memory and is unsealed with a known token); use "ha" or "external"`]],
            ["fails on an even number of raft voters", { platform: { ...minimalPlatform, vault: { mode: "ha", replicas: 4 } } },
                [`platform.vault.replicas 4 must be an odd number of at least 3 in "ha" mode, so the raft quorum survives the loss of a server; e.g. 3`]],
            ["fails on a self-signed issuer in prod", { platform: { ...minimalPlatform, ...prodPlacement, environment: "prod" } },
                [`platform.certManager.issuer.type "selfSigned" is not trusted by anyone outside the cluster; in prod use "acme" or "ca"`]],
            ["fails on an external Vault without an in-cluster address", { platform: { ...minimalPlatform, vault: { mode: "external", address: "https://vault.example.com" } } },
                [`platform.vault.inClusterAddress is missing; an "external" Vault needs the address External Secrets reaches from inside the hub, e.g. "https://vault.example.com:8200"`]],
            ["fails on tenants before Vault is initialised", { platform: { ...minimalPlatform, vault: { mode: "ha", replicas: 3, initialized: false } }, tenants: [tenant()] },
                [`platform.vault.initialized is false but 1 tenant is configured; tenants need a configured Vault: deploy the platform without tenants, initialise Vault (stack output vaultNextSteps), then set platform.vault.initialized to true`]],
            ["fails on a secret stored in plain text", { platform: minimalPlatform, vaultToken: "hvs.abc" },
                ["gitops-hub:vaultToken is stored in plain text; remove it and set it with `pulumi config set --secret gitops-hub:vaultToken <value>`"]],
            ["fails on an invalid tenant name", { platform: minimalPlatform, tenants: [tenant({ name: "Team_A" })] },
                [`tenants[0].name "Team_A" must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "team-a"`]],
            ["fails on a tenant name too long for its namespace", { platform: minimalPlatform, tenants: [tenant({ name: "a".repeat(55) })] },
                [`tenants[0].name "${"a".repeat(55)}" must be at most 54 characters`]],
            ["fails on a reserved tenant name", { platform: minimalPlatform, tenants: [tenant({ name: "argocd" })] },
                [`tenants[0].name "argocd" is reserved by the platform; choose another name, e.g. "argocd-team"`]],
            ["fails on a duplicate tenant", { platform: minimalPlatform, tenants: [tenant(), tenant()] },
                [`tenants[1].name "team-a" is already used by tenants[0]; tenant names must be unique`]],
            ["fails on a tenant without owners", { platform: minimalPlatform, tenants: [{ name: "team-a" }] },
                [`tenants[0].ownerGroups is missing; it must be an array`]],
            ["fails on an application whose repo is not the tenant's", {
                platform: minimalPlatform,
                tenants: [tenant({
                    repos: [{ url: "https://github.com/acme/a.git", type: "git" }],
                    applications: [{ name: "web", repoURL: "https://github.com/acme/b.git", path: "web", targetRevision: "main", namespace: "web" }],
                })],
            }, [`tenants[0].applications[0].repoURL "https://github.com/acme/b.git" is not one of tenants[0].repos (did you mean "https://github.com/acme/a.git"?); add it to tenants[0].repos first`]],
            ["fails on an application with both path and chart", {
                platform: minimalPlatform,
                tenants: [tenant({
                    repos: [{ url: "https://github.com/acme/a.git", type: "git" }],
                    applications: [{ name: "web", repoURL: "https://github.com/acme/a.git", path: "web", chart: "web", targetRevision: "main", namespace: "web" }],
                })],
            }, [
                `tenants[0].applications[0] must set exactly one of "path" (a directory in a git repo) and "chart" (a Helm chart)`,
                `tenants[0].applications[0].chart "web" needs a Helm or OCI repo, but "https://github.com/acme/a.git" is of type "git"; use "path" or change the repo's type`,
            ]],
            ["fails on an unknown tenant key, with a suggestion", { platform: minimalPlatform, tenants: [tenant({ ownerGroup: ["x"] })] },
                [`tenants[0].ownerGroup is not a known setting (did you mean "ownerGroups"?); allowed here: name, state, ownerGroups, repos, applications, vcluster, addons, syncWindows, exposure, argocd`]],
        ];
        for (const [title, values, expected] of cases) {
            it(title, () => {
                expect(problemsOf(values)).to.deep.equal(expected);
            });
        }

        it("lists every problem at once", () => {
            const problems = problemsOf({
                platform: { ...minimalPlatform, domian: "x", vault: { replicas: 0 } },
                tenants: [tenant({ name: "kube-system" }), tenant({ name: "UPPER" })],
            });
            expect(problems).to.deep.equal([
                `platform.vault.replicas 0 must be at least 1`,
                `platform.domian is not a known setting (did you mean "domain"?); allowed here: environment, domain, protectStatefulResources, certManager, vault, externalSecrets, kyverno, argocd, compliance, exposure, tenantNodes, hubApiServer`,
                `tenants[1].name "UPPER" must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "team-a"`,
                `tenants[0].name "kube-system" is reserved by the platform; choose another name, e.g. "kube-system-team"`,
            ]);
        });

        it("says nothing was deployed, in one error", () => {
            expect(() => load({ platform: { ...minimalPlatform, environment: "qa" } })).to.throw(ConfigError,
                `The stack's config has 1 problem; nothing was deployed:\n  - platform.environment "qa" must be one of "dev", "prod"`);
        });
    });

    describe("the editor schema", () => {
        it("is current: stacks/pulumi-stack.schema.json matches `npm run schema`", () => {
            expect(fs.readFileSync(SCHEMA_FILE, "utf8")).to.equal(renderSchema());
        });
    });
});
