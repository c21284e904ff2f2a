// How External Secrets trusts an HA Vault (components/hub/vault-ca.ts): every Vault store names
// the CA; the namespaced ones read ConfigMap `vault-ca` in their own namespace, which a hub
// ClusterPolicy writes. The policy is run by the real Kyverno CLI (its JMESPath for the context,
// its generate rule for the ConfigMaps); the chart facts it relies on are re-read from the pinned
// charts with GITOPS_HUB_CHARTS.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parseAllDocuments, stringify } from "yaml";
import { KYVERNO_CONTROLLER_ACCOUNTS } from "../components/hub/kyverno";
import { STORE_VAULT_CA, VAULT_CA_POLICY, vaultCaPolicy } from "../components/hub/vault-ca";
import { CHARTS } from "../components/versions";
import type { RunResult } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { byName, dependencyNames, ofType, parentOf, recordStacks, runStack } from "./helpers";
import { requireCharts, requireTool, withTool } from "./tools";

const POLICY = "kubernetes:kyverno.io/v1:ClusterPolicy";
const COMPONENT = "gitops-hub:hub:VaultCaDistribution";
const STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const CLUSTER_STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";
const inputs = (resource: { inputs: unknown }) => resource.inputs as Record<string, any>;
const vaultOf = (store: { inputs: unknown }) => inputs(store).spec.provider.vault;

describe("Vault's CA for External Secrets' stores", function () {
    this.timeout(120_000);

    describe("through the program", () => {
        let prod: RunResult;
        let dev: RunResult;
        before(async () => ({ dev, prod } = await recordStacks()));

        it("has every namespaced Vault store in prod (HA, https) read the CA from ConfigMap vault-ca in its own namespace", () => {
            const stores = ofType(prod, STORE).filter((s) => vaultOf(s));
            expect(stores.map((s) => `${inputs(s).metadata.namespace}/${inputs(s).metadata.name}`).sort()).to.deep.equal([
                "argocd/repos-payments", "vcluster-payments/tenant-payments", "vcluster-search/tenant-search",
            ]);
            for (const store of stores) {
                expect(vaultOf(store).server, store.name).to.equal("https://vault.vault.svc:8200");
                expect(vaultOf(store).caProvider, store.name).to.deep.equal({ type: "ConfigMap", name: "vault-ca", key: "ca.crt" });
            }
        });

        it("has the platform ClusterSecretStore read it from Vault's TLS secret, which a cluster-scoped store may name", () => {
            const store = byName(prod, CLUSTER_STORE, "external-secrets-platform-store");
            expect(vaultOf(store).caProvider).to.deep.equal({ type: "Secret", name: "vault-tls", namespace: "vault", key: "ca.crt" });
        });

        it("registers the ClusterPolicy and Kyverno's read access under VaultCaDistribution, after Kyverno, Vault and Argo CD", () => {
            const component = byName(prod, COMPONENT, "vault-ca");
            expect(parentOf(prod, component)).to.equal("(root)");
            const deps = dependencyNames(prod, component);
            for (const dep of ["kubernetes:helm.sh/v4:Chart kyverno-chart", "kubernetes:helm.sh/v4:Chart vault-chart", "kubernetes:helm.sh/v4:Chart argocd-chart"]) {
                expect(deps, dep).to.include(dep);
            }
            const role = byName(prod, "kubernetes:rbac.authorization.k8s.io/v1:Role", "vault-ca-reader-role");
            const binding = byName(prod, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "vault-ca-reader-binding");
            const policy = byName(prod, POLICY, "vault-ca-policy");
            for (const child of [role, binding, policy]) expect(parentOf(prod, child), child.name).to.equal(`${COMPONENT} vault-ca`);
            expect(dependencyNames(prod, binding)).to.include("kubernetes:rbac.authorization.k8s.io/v1:Role vault-ca-reader-role");
            // The policy loads its context as soon as it exists, so Kyverno's access comes first.
            expect(dependencyNames(prod, policy)).to.include("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding vault-ca-reader-binding");
            expect(policy.inputs).to.deep.equal(vaultCaPolicy("prod", "argocd"));
        });

        it("lets exactly Kyverno's admission and background controllers get Vault's TLS secret, and nothing else", () => {
            const role = byName(prod, "kubernetes:rbac.authorization.k8s.io/v1:Role", "vault-ca-reader-role");
            expect(role.inputs.metadata).to.deep.equal({ name: VAULT_CA_POLICY, namespace: "vault" });
            expect(role.inputs.rules).to.deep.equal([{ apiGroups: [""], resources: ["secrets"], resourceNames: ["vault-tls"], verbs: ["get"] }]);
            const binding = byName(prod, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "vault-ca-reader-binding");
            expect(binding.inputs.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: VAULT_CA_POLICY });
            expect(binding.inputs.subjects).to.deep.equal([
                { kind: "ServiceAccount", name: "kyverno-admission-controller", namespace: "kyverno" },
                { kind: "ServiceAccount", name: "kyverno-background-controller", namespace: "kyverno" },
            ]);
        });

        it("waits for cert-manager to issue Vault's certificate before anything that reads its secret", () => {
            const certificate = byName(prod, "kubernetes:cert-manager.io/v1:Certificate", "vault-tls-certificate");
            expect(inputs(certificate).metadata.annotations).to.deep.equal({ "pulumi.com/waitFor": "condition=Ready" });
            expect(dependencyNames(prod, byName(prod, "kubernetes:helm.sh/v4:Chart", "vault-chart"))).to.include("kubernetes:cert-manager.io/v1:Certificate vault-tls-certificate");
        });

        it("names no CA and registers no distribution for dev's plain-HTTP Vault", () => {
            const stores = [...ofType(dev, STORE), ...ofType(dev, CLUSTER_STORE)].filter((s) => vaultOf(s));
            expect(stores).to.have.length.greaterThan(0);
            for (const store of stores) {
                expect(vaultOf(store).server, store.name).to.match(/^http:\/\//);
                expect(vaultOf(store), store.name).not.to.have.property("caProvider");
            }
            expect(ofType(dev, COMPONENT)).to.deep.equal([]);
        });

        it("registers no distribution for an external Vault (its certificate is the operator's; stores use the system trust store)", async () => {
            const platform = { ...readStackFile("prod").config.platform as Record<string, unknown> };
            platform.vault = { mode: "external", address: "https://vault.example.com:8200", inClusterAddress: "https://vault.example.com:8200", initialized: true };
            const external = await runStack("prod", { platform });
            expect(ofType(external, COMPONENT)).to.deep.equal([]);
            const stores = ofType(external, STORE).filter((s) => vaultOf(s));
            expect(stores).to.have.length(3);
            for (const store of stores) {
                expect(vaultOf(store).server, store.name).to.equal("https://vault.example.com:8200");
                expect(vaultOf(store), store.name).not.to.have.property("caProvider");
            }
        });
    });

    describe("the ClusterPolicy, run by the real Kyverno CLI", function () {
        let kyverno: string;
        let dir: string;
        withTool("kyverno", (tool, scratch) => { kyverno = tool; dir = scratch; });

        const pem = "-----BEGIN CERTIFICATE-----\nMIIBplatformca\n-----END CERTIFICATE-----\n";
        const b64 = (text: string) => Buffer.from(text).toString("base64");
        // Vault's TLS secret as cert-manager writes it: the CA beside the server's own certificate and key.
        const vaultTls = { apiVersion: "v1", kind: "Secret", metadata: { name: "vault-tls", namespace: "vault" }, type: "kubernetes.io/tls", data: { "ca.crt": b64(pem), "tls.crt": b64("server certificate"), "tls.key": b64("server private key") } };
        const ns = (name: string, labels: Record<string, string>) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });

        function query(input: unknown, expression: string): unknown {
            fs.writeFileSync(path.join(dir, "input.json"), JSON.stringify(input));
            const output = execFileSync(kyverno, ["jp", "query", "-i", "input.json", expression], { cwd: dir, encoding: "utf8" });
            // `# <expression>` then the result as JSON.
            return JSON.parse(output.split("\n").slice(1).join("\n"));
        }

        it("takes the CA certificate alone from Vault's TLS secret (the context's own JMESPath, by Kyverno's engine)", () => {
            const apiCall = (vaultCaPolicy("prod", "argocd") as any).spec.rules[0].context[0].apiCall;
            expect(apiCall.urlPath).to.equal("/api/v1/namespaces/vault/secrets/vault-tls");
            expect(query(vaultTls, apiCall.jmesPath)).to.equal(b64(pem));
        });

        it("writes ConfigMap vault-ca with the decoded CA into each tenant namespace and Argo CD's, and into no other", () => {
            const policy = vaultCaPolicy("prod", "argocd");
            const context = query(vaultTls, (policy as any).spec.rules[0].context[0].apiCall.jmesPath);
            fs.writeFileSync(path.join(dir, "policy.yaml"), stringify(policy));
            fs.writeFileSync(path.join(dir, "namespaces.yaml"), [
                ns("vcluster-team-a", { "gitops-hub.io/tenant": "team-a" }),
                ns("vcluster-team-b", { "gitops-hub.io/tenant": "team-b" }),
                ns("argocd", { "gitops-hub.io/platform": "true" }),
                ns("vault", { "gitops-hub.io/platform": "true" }),
                ns("kube-system", {}),
            ].map((d) => stringify(d)).join("---\n"));
            fs.writeFileSync(path.join(dir, "values.yaml"), stringify({
                apiVersion: "cli.kyverno.io/v1alpha1", kind: "Value",
                policies: [{ name: VAULT_CA_POLICY, rules: [{ name: "vault-ca-config-map", values: { vaultCa: context } }] }],
            }));
            const out = path.join(dir, "out");
            fs.mkdirSync(out);
            const run = spawnSync(kyverno, ["apply", "policy.yaml", "--resource", "namespaces.yaml", "--values-file", "values.yaml", "-o", out], { cwd: dir, encoding: "utf8" });
            // Loaded without a complaint, one generate result per matching namespace.
            expect([run.status, run.stderr]).to.deep.equal([0, ""]);
            expect(run.stdout).to.match(/pass: 3, fail: 0, warn: 0, error: 0, skip: 0/);
            const generated = parseAllDocuments(fs.readFileSync(path.join(out, `${VAULT_CA_POLICY}-generated.yaml`), "utf8")).map((d) => d.toJS()).filter((d) => d);
            expect(generated.map((g) => `${g.metadata.namespace}/${g.kind}/${g.metadata.name}`)).to.deep.equal([
                "vcluster-team-a/ConfigMap/vault-ca", "vcluster-team-b/ConfigMap/vault-ca", "argocd/ConfigMap/vault-ca",
            ]);
            for (const configMap of generated) {
                expect(configMap.data, configMap.metadata.namespace).to.deep.equal({ [STORE_VAULT_CA.key]: pem });
                expect(configMap.metadata.labels["generate.kyverno.io/policy-name"]).to.equal(VAULT_CA_POLICY);
            }
        });
    });

    describe("the chart facts it relies on, re-read from the pinned charts (GITOPS_HUB_CHARTS)", function () {
        let charts: string;
        before(function () { charts = requireCharts(this); });

        it("kyverno: the release's admission and background controllers run as these service accounts, and the background controller may write ConfigMaps", function () {
            const helm = requireTool(this, "helm");
            const rendered = execFileSync(helm, ["template", "kyverno", path.join(charts, `kyverno-${CHARTS.kyverno.version}`), "--namespace", "kyverno"], { encoding: "utf8", maxBuffer: 64 << 20 });
            const objects = parseAllDocuments(rendered).map((d) => d.toJS()).filter((d) => d);
            const accounts = objects.filter((o) => o.kind === "ServiceAccount").map((o) => o.metadata.name);
            for (const account of KYVERNO_CONTROLLER_ACCOUNTS) expect(accounts).to.include(account);
            const core = objects.find((o) => o.kind === "ClusterRole" && o.metadata.name === "kyverno:background-controller:core");
            const configMaps = core.rules.filter((r: { resources?: string[] }) => r.resources?.includes("configmaps")).flatMap((r: { verbs: string[] }) => r.verbs);
            for (const verb of ["get", "list", "watch", "create", "update", "patch", "delete"]) expect(configMaps, verb).to.include(verb);
        });

        it("external-secrets: a SecretStore's caProvider may not name another namespace (only a ClusterSecretStore's may)", () => {
            const crd = fs.readFileSync(path.join(charts, `external-secrets-${CHARTS.externalSecrets.version}`, "templates", "crds", "external-secrets.io_secretstores.yaml"), "utf8");
            expect(crd).to.match(/The namespace the Provider type is in\.\s+Can only be defined when used in a ClusterSecretStore\./);
        });
    });
});
