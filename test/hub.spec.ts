// The hub add-ons as the real program (index.ts) registers them for the committed dev and prod
// stacks, with no tenants: what exists, under which parent, at which chart version, in which
// order, with which secrets, and whether every Kubernetes object matches its upstream schema.
import { expect } from "chai";
import { runtimeRules } from "../policy-pack/catalog";
import { CERT_MANAGER_REPO, CERT_MANAGER_VERSION, CHARTS } from "../components/versions";
import { RecordedResource, RunResult, SecretValue, containsPlainText } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { TEST_VAULT_TOKEN, byName, dependencyNames, ofType, parentOf, recordHubs, runStack } from "./helpers";
import { isKubernetesObject, validateAgainstUpstream } from "./kubernetes-schemas";

const COMPONENT = {
    certManager: "gitops-hub:hub:CertManager cert-manager",
    vaultServer: "gitops-hub:hub:VaultServer vault",
    vaultConfig: "gitops-hub:hub:VaultConfig vault-config",
    externalSecrets: "gitops-hub:hub:ExternalSecrets external-secrets",
    kyverno: "gitops-hub:hub:Kyverno kyverno",
    argocd: "gitops-hub:hub:ArgoCd argocd",
};

const CHART = "kubernetes:helm.sh/v4:Chart";
const CR = (group: string, kind: string) => `kubernetes:${group}:${kind}`;
const ISSUER = CR("cert-manager.io/v1", "ClusterIssuer");
const CERTIFICATE = CR("cert-manager.io/v1", "Certificate");
const NAMESPACE = "kubernetes:core/v1:Namespace";
const EXTERNAL_SECRET = CR("external-secrets.io/v1", "ExternalSecret");
const APP_PROJECT = CR("argoproj.io/v1alpha1", "AppProject");
const APPLICATION_SET = CR("argoproj.io/v1alpha1", "ApplicationSet");
const CLUSTER_POLICY = CR("kyverno.io/v1", "ClusterPolicy");

/** `type name` → parent (`type name`), for everything the hub registers except the ClusterPolicies. */
const DEV_PARENTS: Record<string, string> = {
    [COMPONENT.certManager]: "(root)",
    [`${NAMESPACE} cert-manager-namespace`]: COMPONENT.certManager,
    ["kubernetes-cert-manager:index:CertManager cert-manager-chart"]: COMPONENT.certManager,
    [`${ISSUER} cert-manager-selfsigned-issuer`]: COMPONENT.certManager,
    [`${CERTIFICATE} cert-manager-ca-certificate`]: COMPONENT.certManager,
    [`${ISSUER} cert-manager-ca-issuer`]: COMPONENT.certManager,
    [COMPONENT.vaultServer]: "(root)",
    [`${NAMESPACE} vault-namespace`]: COMPONENT.vaultServer,
    [`${CHART} vault-chart`]: COMPONENT.vaultServer,
    ["pulumi:providers:vault vault"]: "(root)",
    [COMPONENT.vaultConfig]: "(root)",
    ["vault:index/authBackend:AuthBackend vault-config-kubernetes-auth"]: COMPONENT.vaultConfig,
    ["vault:kubernetes/authBackendConfig:AuthBackendConfig vault-config-kubernetes-auth-config"]: COMPONENT.vaultConfig,
    ["vault:index/mount:Mount vault-config-platform-mount"]: COMPONENT.vaultConfig,
    ["vault:index/policy:Policy vault-config-platform-read-policy"]: COMPONENT.vaultConfig,
    ["vault:kubernetes/authBackendRole:AuthBackendRole vault-config-external-secrets-role"]: COMPONENT.vaultConfig,
    [COMPONENT.externalSecrets]: "(root)",
    [`${NAMESPACE} external-secrets-namespace`]: COMPONENT.externalSecrets,
    [`${CHART} external-secrets-chart`]: COMPONENT.externalSecrets,
    [`${CR("external-secrets.io/v1", "ClusterSecretStore")} external-secrets-platform-store`]: COMPONENT.externalSecrets,
    [COMPONENT.kyverno]: "(root)",
    [`${NAMESPACE} kyverno-namespace`]: COMPONENT.kyverno,
    [`${CHART} kyverno-chart`]: COMPONENT.kyverno,
    [`${NAMESPACE} kyverno-policy-reporter-namespace`]: COMPONENT.kyverno,
    [`${CHART} kyverno-policy-reporter`]: COMPONENT.kyverno,
    [COMPONENT.argocd]: "(root)",
    [`${NAMESPACE} argocd-namespace`]: COMPONENT.argocd,
    [`${CR("generators.external-secrets.io/v1alpha1", "Password")} argocd-redis-password`]: COMPONENT.argocd,
    [`${EXTERNAL_SECRET} argocd-redis-secret`]: COMPONENT.argocd,
    [`${CHART} argocd-chart`]: COMPONENT.argocd,
    [`${CERTIFICATE} argocd-server-certificate`]: COMPONENT.argocd,
    ["kubernetes:networking.k8s.io/v1:Ingress argocd-server-ingress"]: COMPONENT.argocd,
    [`${APP_PROJECT} argocd-default-project`]: COMPONENT.argocd,
    [`${APP_PROJECT} argocd-platform-project`]: COMPONENT.argocd,
    [`${CR("argoproj.io/v1alpha1", "Application")} argocd-root-app`]: COMPONENT.argocd,
    [`${APPLICATION_SET} argocd-addon-kyverno`]: COMPONENT.argocd,
    [`${APPLICATION_SET} argocd-addon-kyverno-policies`]: COMPONENT.argocd,
};

/** Prod adds the ACME issuer, Vault's TLS certificate and its CA's distribution, the OIDC client secret and the tenant placement guard. */
const PROD_PARENTS: Record<string, string> = {
    ...DEV_PARENTS,
    [`${ISSUER} cert-manager-acme-issuer`]: COMPONENT.certManager,
    [`${CERTIFICATE} vault-tls-certificate`]: COMPONENT.vaultServer,
    [`${EXTERNAL_SECRET} argocd-oidc-secret`]: COMPONENT.argocd,
    // Prod sets platform.tenantNodes: the hub's guard that tenant pods run on tenant nodes.
    ["gitops-hub:hub:TenantPlacement tenant-placement"]: "(root)",
    [`${CLUSTER_POLICY} tenant-placement-policy`]: "gitops-hub:hub:TenantPlacement tenant-placement",
    // Prod's Vault is HA: Kyverno copies its CA for the namespaced stores (vault-ca.spec.ts).
    ["gitops-hub:hub:VaultCaDistribution vault-ca"]: "(root)",
    [`${CLUSTER_POLICY} vault-ca-policy`]: "gitops-hub:hub:VaultCaDistribution vault-ca",
    ["kubernetes:rbac.authorization.k8s.io/v1:Role vault-ca-reader-role"]: "gitops-hub:hub:VaultCaDistribution vault-ca",
    ["kubernetes:rbac.authorization.k8s.io/v1:RoleBinding vault-ca-reader-binding"]: "gitops-hub:hub:VaultCaDistribution vault-ca",
};

/** One ClusterPolicy per runtime rule of the catalog, named after the rule. */
const POLICY_IDS = runtimeRules.filter((rule) => rule.kyverno !== undefined).map((rule) => rule.id);
const POLICY_PARENTS = Object.fromEntries(POLICY_IDS.map((id) => [`${CLUSTER_POLICY} kyverno-policy-${id}`, COMPONENT.kyverno]));

/** Which chart brings the CRD (and controller) of each API group. */
const CRD_OWNER: Record<string, string> = {
    "cert-manager.io": "kubernetes-cert-manager:index:CertManager cert-manager-chart",
    "external-secrets.io": `${CHART} external-secrets-chart`,
    "generators.external-secrets.io": `${CHART} external-secrets-chart`,
    "argoproj.io": `${CHART} argocd-chart`,
    "kyverno.io": `${CHART} kyverno-chart`,
};

/** Kinds with no upstream model in test/kubernetes-schemas.ts; nothing else is skipped. */
const NO_UPSTREAM_MODEL = ["kubernetes:kyverno.io/v1:ClusterPolicy"];

const key = (r: RecordedResource) => `${r.type} ${r.name}`;
const inputs = (r: RecordedResource) => r.inputs as any;
const chartValues = (result: RunResult, name: string) => inputs(byName(result, CHART, name)).values;

function platformOf(stack: string): any {
    return JSON.parse(JSON.stringify(readStackFile(stack).config.platform));
}

describe("hub add-ons", function () {
    this.timeout(120_000);
    let dev: RunResult;
    let prod: RunResult;

    before(async () => {
        ({ dev, prod } = await recordHubs());
    });

    describe("what each stack registers", () => {
        it("registers exactly the hub's resources in dev", () => {
            expect(dev.resources.map(key).sort()).to.deep.equal(Object.keys({ ...DEV_PARENTS, ...POLICY_PARENTS }).sort());
        });

        it("registers exactly the hub's resources in prod", () => {
            expect(prod.resources.map(key).sort()).to.deep.equal(Object.keys({ ...PROD_PARENTS, ...POLICY_PARENTS }).sort());
        });

        it("renders one ClusterPolicy per runtime rule of the catalog", () => {
            expect(POLICY_IDS.length).to.be.greaterThan(20);
            expect(ofType(dev, CLUSTER_POLICY).map((r) => inputs(r).metadata.name).sort()).to.deep.equal([...POLICY_IDS].sort());
        });

        it("puts every child under its component (dev and prod)", () => {
            for (const [result, parents] of [[dev, DEV_PARENTS], [prod, PROD_PARENTS]] as const) {
                const expected = { ...parents, ...POLICY_PARENTS };
                const actual = Object.fromEntries(result.resources.map((r) => [key(r), parentOf(result, r)]));
                expect(actual).to.deep.equal(expected);
            }
        });

        it("counts per type, hub only", () => {
            const count = (result: RunResult) => {
                const counts: Record<string, number> = {};
                for (const r of result.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
                return counts;
            };
            const common = {
                "gitops-hub:hub:ArgoCd": 1, "gitops-hub:hub:CertManager": 1, "gitops-hub:hub:ExternalSecrets": 1,
                "gitops-hub:hub:Kyverno": 1, "gitops-hub:hub:VaultConfig": 1, "gitops-hub:hub:VaultServer": 1,
                "kubernetes-cert-manager:index:CertManager": 1,
                [APP_PROJECT]: 2, [CR("argoproj.io/v1alpha1", "Application")]: 1, [APPLICATION_SET]: 2,
                [CLUSTER_POLICY]: POLICY_IDS.length,
                [NAMESPACE]: 6,
                [CR("external-secrets.io/v1", "ClusterSecretStore")]: 1,
                [CR("generators.external-secrets.io/v1alpha1", "Password")]: 1,
                [CHART]: 5,
                "kubernetes:networking.k8s.io/v1:Ingress": 1,
                "pulumi:providers:vault": 1,
                "vault:index/authBackend:AuthBackend": 1, "vault:index/mount:Mount": 1, "vault:index/policy:Policy": 1,
                "vault:kubernetes/authBackendConfig:AuthBackendConfig": 1, "vault:kubernetes/authBackendRole:AuthBackendRole": 1,
            };
            expect(count(dev)).to.deep.equal({ ...common, [CERTIFICATE]: 2, [ISSUER]: 2, [EXTERNAL_SECRET]: 1 });
            expect(count(prod)).to.deep.equal({
                ...common, [CERTIFICATE]: 3, [ISSUER]: 3, [EXTERNAL_SECRET]: 2,
                "gitops-hub:hub:TenantPlacement": 1, "gitops-hub:hub:VaultCaDistribution": 1, [CLUSTER_POLICY]: POLICY_IDS.length + 2,
                "kubernetes:rbac.authorization.k8s.io/v1:Role": 1, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 1,
            });
        });
    });

    describe("charts", () => {
        it("pins every chart to the repo and exact version in components/versions.ts", () => {
            const expected = {
                "vault-chart": CHARTS.vault,
                "external-secrets-chart": CHARTS.externalSecrets,
                "kyverno-chart": CHARTS.kyverno,
                "kyverno-policy-reporter": CHARTS.policyReporter,
                "argocd-chart": CHARTS.argocd,
            };
            for (const result of [dev, prod]) {
                const actual = Object.fromEntries(ofType(result, CHART).map((r) => [r.name, {
                    chart: inputs(r).chart, repo: inputs(r).repositoryOpts.repo, version: inputs(r).version,
                }]));
                expect(actual).to.deep.equal(expected);
                const certManager = inputs(byName(result, "kubernetes-cert-manager:index:CertManager", "cert-manager-chart"));
                expect(certManager.helmOptions).to.deep.equal({
                    name: "cert-manager", namespace: "cert-manager", version: CERT_MANAGER_VERSION, repositoryOpts: { repo: CERT_MANAGER_REPO },
                });
                expect(certManager.installCRDs).to.equal(true);
            }
        });

        it("installs each chart into its own namespace, which the chart waits for", () => {
            const namespaceOf = { "vault-chart": "vault", "external-secrets-chart": "external-secrets", "kyverno-chart": "kyverno", "kyverno-policy-reporter": "policy-reporter", "argocd-chart": "argocd" };
            for (const [chart, namespace] of Object.entries(namespaceOf)) {
                const resource = byName(prod, CHART, chart);
                expect(inputs(resource).namespace, chart).to.equal(namespace);
                const namespaceResource = ofType(prod, NAMESPACE).find((n) => inputs(n).metadata.name === namespace)!;
                expect(dependencyNames(prod, resource), chart).to.include(key(namespaceResource));
            }
        });

        it("labels every add-on namespace as a platform namespace with its Pod Security level", () => {
            const labels = Object.fromEntries(ofType(prod, NAMESPACE).map((r) => [inputs(r).metadata.name, inputs(r).metadata.labels]));
            expect(Object.keys(labels).sort()).to.deep.equal(["argocd", "cert-manager", "external-secrets", "kyverno", "policy-reporter", "vault"]);
            for (const [name, value] of Object.entries(labels)) {
                expect(value, name).to.deep.equal({
                    "gitops-hub.io/platform": "true",
                    "gitops-hub.io/environment": "prod",
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                    "pod-security.kubernetes.io/audit": "restricted",
                });
            }
        });

        it("runs every chart's containers restricted, with requests and limits", () => {
            const restricted = {
                runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
            };
            const vault = chartValues(prod, "vault-chart");
            expect(vault.server.statefulSet.securityContext.container).to.deep.equal(restricted);
            expect(vault.server.resources).to.deep.equal({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } });
            const eso = chartValues(prod, "external-secrets-chart");
            for (const part of [eso, eso.webhook, eso.certController]) {
                expect(part.securityContext).to.deep.equal({ enabled: true, ...restricted });
                expect(part.resources).to.have.keys("requests", "limits");
            }
            const kyverno = chartValues(prod, "kyverno-chart");
            expect(kyverno.admissionController.container.securityContext).to.deep.equal(restricted);
            for (const controller of ["backgroundController", "cleanupController", "reportsController"]) {
                expect(kyverno[controller].securityContext, controller).to.deep.equal(restricted);
                expect(kyverno[controller].resources, controller).to.have.keys("requests", "limits");
            }
            const argocd = chartValues(prod, "argocd-chart");
            for (const component of ["controller", "server", "repoServer", "applicationSet", "redis", "notifications"]) {
                expect(argocd[component].containerSecurityContext, component).to.deep.equal(restricted);
                expect(argocd[component].resources, component).to.have.keys("requests", "limits");
            }
            const certManager = inputs(byName(prod, "kubernetes-cert-manager:index:CertManager", "cert-manager-chart"));
            for (const part of [certManager, certManager.webhook, certManager.cainjector]) {
                expect(part.containerSecurityContext).to.deep.equal(restricted);
            }
        });
    });

    describe("dev and prod differ where the environments do", () => {
        it("runs Vault as a dev server in dev, with the stack's token as a secret", () => {
            const values = chartValues(dev, "vault-chart");
            expect(values.global).to.deep.equal({ tlsDisable: true });
            expect(values.server.dev.enabled).to.equal(true);
            expect(values.server.dev.devRootToken).to.be.instanceOf(SecretValue);
            expect((values.server.dev.devRootToken as SecretValue).value).to.equal(TEST_VAULT_TOKEN);
            expect(values.server.ha).to.deep.equal({ enabled: false });
            expect(values.server.dataStorage).to.deep.equal({ enabled: false });
            expect(byName(dev, CHART, "vault-chart").secretPaths).to.deep.equal(["values.server.dev.devRootToken"]);
        });

        it("runs Vault as a 3-server raft cluster with TLS in prod", () => {
            const values = chartValues(prod, "vault-chart");
            expect(values.global).to.deep.equal({ tlsDisable: false });
            expect(values.server.dev).to.deep.equal({ enabled: false });
            expect(values.server.ha.enabled).to.equal(true);
            expect(values.server.ha.replicas).to.equal(3);
            expect(values.server.ha.raft.enabled).to.equal(true);
            expect(values.server.ha.raft.config).to.equal(PROD_RAFT_CONFIG);
            expect(values.server.dataStorage).to.deep.equal({ enabled: true, size: "20Gi" });
            expect(values.server.extraEnvironmentVars).to.deep.equal({ VAULT_CACERT: "/vault/userconfig/vault-tls/ca.crt" });
            expect(values.server.volumes[0]).to.deep.equal({ name: "vault-tls", secret: { secretName: "vault-tls" } });
            expect(values.server.volumeMounts[0]).to.deep.equal({ name: "vault-tls", mountPath: "/vault/userconfig/vault-tls", readOnly: true });
            expect(byName(prod, CHART, "vault-chart").secretPaths).to.deep.equal([]);
        });

        it("issues Vault's certificate from the platform CA for every name the servers answer on", () => {
            const certificate = byName(prod, CERTIFICATE, "vault-tls-certificate");
            expect(inputs(certificate).spec).to.deep.equal({
                secretName: "vault-tls",
                commonName: "vault.vault.svc",
                dnsNames: [
                    "vault", "vault.vault", "vault.vault.svc", "vault.vault.svc.cluster.local",
                    "vault-active", "vault-active.vault", "vault-active.vault.svc",
                    "*.vault-internal", "*.vault-internal.vault.svc",
                ],
                ipAddresses: ["127.0.0.1"],
                usages: ["server auth", "client auth"],
                privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                issuerRef: { name: "platform-ca", kind: "ClusterIssuer", group: "cert-manager.io" },
            });
            expect(dependencyNames(prod, byName(prod, CHART, "vault-chart"))).to.include(`${CERTIFICATE} vault-tls-certificate`);
        });

        it("protects Vault's chart, namespace and the platform mount in prod only", () => {
            const stateful = [
                [CHART, "vault-chart"], [NAMESPACE, "vault-namespace"], ["vault:index/mount:Mount", "vault-config-platform-mount"],
            ];
            for (const [type, name] of stateful) {
                expect([byName(prod, type, name).protect, byName(prod, type, name).retainOnDelete], `prod ${name}`).to.deep.equal([true, true]);
                expect([byName(dev, type, name).protect, byName(dev, type, name).retainOnDelete], `dev ${name}`).to.deep.equal([false, false]);
            }
            expect(prod.resources.filter((r) => r.protect).map(key).sort()).to.deep.equal([
                `${NAMESPACE} vault-namespace`, `${CHART} vault-chart`, "vault:index/mount:Mount vault-config-platform-mount",
            ].sort());
            expect(dev.resources.filter((r) => r.protect || r.retainOnDelete)).to.deep.equal([]);
            expect(chartValues(prod, "vault-chart").server.persistentVolumeClaimRetentionPolicy).to.deep.equal({ whenDeleted: "Retain", whenScaled: "Retain" });
            expect(chartValues(dev, "vault-chart").server.persistentVolumeClaimRetentionPolicy).to.equal(undefined);
        });

        it("scales External Secrets to 2 with leader election in prod, 1 in dev", () => {
            const pick = (v: any) => [v.replicaCount, v.leaderElect, v.webhook.replicaCount, v.certController.replicaCount, v.podDisruptionBudget.enabled];
            expect(pick(chartValues(dev, "external-secrets-chart"))).to.deep.equal([1, false, 1, 1, false]);
            expect(pick(chartValues(prod, "external-secrets-chart"))).to.deep.equal([2, true, 2, 2, true]);
        });

        it("runs Kyverno with 1 replica per controller in dev, 3 admission and 2 per other controller in prod", () => {
            const pick = (v: any) => [v.admissionController.replicas, v.backgroundController.replicas, v.cleanupController.replicas, v.reportsController.replicas];
            expect(pick(chartValues(dev, "kyverno-chart"))).to.deep.equal([1, 1, 1, 1]);
            expect(pick(chartValues(prod, "kyverno-chart"))).to.deep.equal([3, 2, 2, 2]);
        });

        it("audits in dev and enforces in prod through every ClusterPolicy rule", () => {
            const actions = (result: RunResult) => [...new Set(ofType(result, CLUSTER_POLICY).filter((r) => parentOf(result, r) === COMPONENT.kyverno)
                .flatMap((r) => (inputs(r).spec.rules as any[]).map((rule) => rule.validate.failureAction)))];
            expect(actions(dev)).to.deep.equal(["Audit"]);
            expect(actions(prod)).to.deep.equal(["Enforce"]);
        });

        it("runs Argo CD with one Redis and one replica each in dev, HA Redis and two replicas in prod", () => {
            const pick = (v: any) => ({
                redis: v.redis.enabled, redisHa: v["redis-ha"].enabled, controller: v.controller.replicas, server: v.server.replicas,
                repoServer: v.repoServer.replicas, applicationSet: v.applicationSet.replicas, params: v.configs.params,
            });
            expect(pick(chartValues(dev, "argocd-chart"))).to.deep.equal({
                redis: true, redisHa: false, controller: 1, server: 1, repoServer: 1, applicationSet: 1, params: { "server.insecure": true },
            });
            expect(pick(chartValues(prod, "argocd-chart"))).to.deep.equal({
                redis: false, redisHa: true, controller: 1, server: 2, repoServer: 2, applicationSet: 2, params: { "server.insecure": true },
            });
            expect(dev.outputs.argocdSizingProfile).to.equal("small");
            expect(prod.outputs.argocdSizingProfile).to.equal("small");
        });

        it("uses the self-signed platform CA in dev and Let's Encrypt in prod for public certificates", () => {
            expect(dev.outputs.clusterIssuer).to.equal("platform-ca");
            expect(prod.outputs.clusterIssuer).to.equal("letsencrypt");
            expect(inputs(byName(prod, ISSUER, "cert-manager-acme-issuer"))).to.deep.equal({
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: "letsencrypt" },
                spec: {
                    acme: {
                        email: "platform-team@example.com",
                        server: "https://acme-v02.api.letsencrypt.org/directory",
                        privateKeySecretRef: { name: "letsencrypt-account-key" },
                        solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
                    },
                },
            });
            expect(inputs(byName(dev, CERTIFICATE, "argocd-server-certificate")).spec.issuerRef.name).to.equal("platform-ca");
            expect(inputs(byName(prod, CERTIFICATE, "argocd-server-certificate")).spec.issuerRef.name).to.equal("letsencrypt");
        });

        it("bootstraps the platform CA from a self-signed root", () => {
            expect(inputs(byName(dev, ISSUER, "cert-manager-selfsigned-issuer")).spec).to.deep.equal({ selfSigned: {} });
            expect(inputs(byName(dev, CERTIFICATE, "cert-manager-ca-certificate"))).to.deep.equal({
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: { name: "platform-ca", namespace: "cert-manager" },
                spec: {
                    isCA: true,
                    commonName: "gitops-hub dev platform CA",
                    secretName: "platform-ca",
                    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                    issuerRef: { name: "selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" },
                },
            });
            expect(inputs(byName(dev, ISSUER, "cert-manager-ca-issuer"))).to.deep.equal({
                apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "platform-ca" }, spec: { ca: { secretName: "platform-ca" } },
            });
        });
    });

    describe("ordering", () => {
        it("applies no custom resource before the chart that brings its CRD", () => {
            for (const result of [dev, prod]) {
                const custom = result.resources.filter((r) => {
                    const group = /^kubernetes:([^/]+)\/[^:]+:/.exec(r.type)?.[1];
                    return group !== undefined && group in CRD_OWNER;
                });
                expect(custom.length).to.be.greaterThan(POLICY_IDS.length);
                for (const r of custom) {
                    const group = /^kubernetes:([^/]+)\//.exec(r.type)![1];
                    expect(dependencyNames(result, r), key(r)).to.include(CRD_OWNER[group]);
                }
            }
        });

        it("creates the Argo CD objects after the chart and the Redis secret before it", () => {
            const chart = byName(prod, CHART, "argocd-chart");
            expect(dependencyNames(prod, chart)).to.include.members([
                `${EXTERNAL_SECRET} argocd-redis-secret`, `${EXTERNAL_SECRET} argocd-oidc-secret`, `${NAMESPACE} argocd-namespace`,
            ]);
            expect(dependencyNames(prod, byName(prod, EXTERNAL_SECRET, "argocd-redis-secret")))
                .to.include(`${CR("generators.external-secrets.io/v1alpha1", "Password")} argocd-redis-password`);
        });

        it("configures Vault only through the explicit Vault provider", () => {
            const provider = byName(dev, "pulumi:providers:vault", "vault");
            const vaultResources = dev.resources.filter((r) => r.type.startsWith("vault:"));
            expect(vaultResources).to.have.length(5);
            for (const r of vaultResources) {
                expect(r.provider, key(r)).to.equal(`${provider.urn}::${provider.name}-id`);
            }
        });
    });

    describe("secrets", () => {
        it("passes the Vault token only as a secret", () => {
            for (const result of [dev, prod]) {
                const provider = byName(result, "pulumi:providers:vault", "vault");
                expect(provider.secretPaths).to.deep.equal(["token"]);
                expect(result.resources.filter((r) => containsPlainText(r.inputs, TEST_VAULT_TOKEN)).map(key)).to.deep.equal([]);
                expect(containsPlainText(result.outputs, TEST_VAULT_TOKEN)).to.equal(false);
            }
        });

        it("creates no Kubernetes Secret: Redis and OIDC credentials come from External Secrets", () => {
            for (const result of [dev, prod]) {
                expect(result.resources.filter((r) => r.type === "kubernetes:core/v1:Secret")).to.deep.equal([]);
            }
            expect(inputs(byName(prod, EXTERNAL_SECRET, "argocd-redis-secret")).spec).to.deep.equal({
                refreshInterval: "0s",
                target: {
                    name: "argocd-redis",
                    creationPolicy: "Owner",
                    template: { metadata: { labels: { "app.kubernetes.io/part-of": "argocd" } }, data: { auth: "{{ .password }}" } },
                },
                dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password", name: "argocd-redis-password" } } }],
            });
            expect(chartValues(prod, "argocd-chart").redisSecretInit).to.deep.equal({ enabled: false });
            expect(inputs(byName(prod, EXTERNAL_SECRET, "argocd-oidc-secret"))).to.deep.equal({
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: "argocd-oidc", namespace: "argocd" },
                spec: {
                    refreshInterval: "300s",
                    secretStoreRef: { kind: "ClusterSecretStore", name: "platform-vault" },
                    target: { name: "argocd-oidc", creationPolicy: "Owner", template: { metadata: { labels: { "app.kubernetes.io/part-of": "argocd" } } } },
                    data: [{ secretKey: "clientSecret", remoteRef: { key: "argocd/oidc", property: "clientSecret" } }],
                },
            });
        });
    });

    describe("Vault configuration", () => {
        it("grants External Secrets read on the platform mount only, bound to its service account and audience", () => {
            expect(inputs(byName(dev, "vault:index/policy:Policy", "vault-config-platform-read-policy"))).to.deep.equal({
                name: "platform-read",
                policy: 'path "platform/data/*" {\n  capabilities = ["read"]\n}\n\npath "platform/metadata/*" {\n  capabilities = ["read", "list"]\n}\n',
            });
            const role = inputs(byName(dev, "vault:kubernetes/authBackendRole:AuthBackendRole", "vault-config-external-secrets-role"));
            expect(role).to.deep.equal({
                backend: "kubernetes",
                roleName: "external-secrets",
                boundServiceAccountNames: ["external-secrets"],
                boundServiceAccountNamespaces: ["external-secrets"],
                audience: "vault",
                tokenPolicies: ["platform-read"],
                tokenTtl: 600,
                tokenMaxTtl: 1200,
            });
            expect(inputs(byName(dev, "vault:index/mount:Mount", "vault-config-platform-mount"))).to.deep.include({ path: "platform", type: "kv", options: { version: "2" } });
            expect(inputs(byName(dev, "vault:index/authBackend:AuthBackend", "vault-config-kubernetes-auth"))).to.deep.include({ type: "kubernetes", path: "kubernetes" });
            expect(inputs(byName(dev, "vault:kubernetes/authBackendConfig:AuthBackendConfig", "vault-config-kubernetes-auth-config"))).to.deep.equal({
                backend: "kubernetes",
                kubernetesHost: "https://kubernetes.default.svc",
                disableLocalCaJwt: false,
                issuer: "https://kubernetes.default.svc.cluster.local",
            });
        });

        it("lets only platform namespaces use the platform ClusterSecretStore", () => {
            const store = (result: RunResult) => inputs(byName(result, CR("external-secrets.io/v1", "ClusterSecretStore"), "external-secrets-platform-store"));
            const auth = { kubernetes: { mountPath: "kubernetes", role: "external-secrets", serviceAccountRef: { name: "external-secrets", namespace: "external-secrets", audiences: ["vault"] } } };
            const conditions = [{ namespaceSelector: { matchLabels: { "gitops-hub.io/platform": "true" } } }];
            expect(store(dev)).to.deep.equal({
                apiVersion: "external-secrets.io/v1",
                kind: "ClusterSecretStore",
                metadata: { name: "platform-vault" },
                spec: { provider: { vault: { server: "http://vault.vault.svc:8200", path: "platform", version: "v2", auth } }, conditions },
            });
            expect(store(prod).spec).to.deep.equal({
                provider: {
                    vault: {
                        server: "https://vault.vault.svc:8200", path: "platform", version: "v2",
                        caProvider: { type: "Secret", name: "vault-tls", namespace: "vault", key: "ca.crt" },
                        auth,
                    },
                },
                conditions,
            });
        });
    });

    describe("Argo CD", () => {
        it("gives the admin groups admin and everyone else no default role (test/argocd-rbac.spec.ts evaluates it)", () => {
            expect(chartValues(prod, "argocd-chart").configs.rbac).to.deep.equal({
                "policy.default": "", "policy.csv": "g, platform-admins, role:admin\n", scopes: "[groups]",
            });
        });

        it("signs in through OIDC in prod with the client secret from Secret argocd-oidc", () => {
            expect(chartValues(prod, "argocd-chart").configs.cm).to.deep.equal({
                "admin.enabled": false,
                "exec.enabled": false,
                url: "https://argocd.gitops.example.com",
                "oidc.config": [
                    "name: SSO",
                    "issuer: https://login.example.com/realms/platform",
                    "clientID: argocd",
                    "clientSecret: $argocd-oidc:clientSecret",
                    "requestedScopes:",
                    "  - openid",
                    "  - profile",
                    "  - email",
                    "  - groups",
                    "",
                ].join("\n"),
            });
            expect(chartValues(dev, "argocd-chart").configs.cm).to.deep.equal({
                "admin.enabled": true, "exec.enabled": false, url: "https://argocd.dev.gitops.example.com",
            });
        });

        it("serves the UI through a TLS-terminating Ingress", () => {
            expect(inputs(byName(prod, "kubernetes:networking.k8s.io/v1:Ingress", "argocd-server-ingress")).spec).to.deep.equal({
                ingressClassName: "nginx",
                tls: [{ hosts: ["argocd.gitops.example.com"], secretName: "argocd-server-tls" }],
                rules: [{
                    host: "argocd.gitops.example.com",
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "argocd-server", port: { name: "http" } } } }] },
                }],
            });
            expect(prod.outputs.argocdUrl).to.equal("https://argocd.gitops.example.com");
        });

        it("locks the default AppProject and keeps wide grants to the platform project", () => {
            expect(inputs(byName(prod, APP_PROJECT, "argocd-default-project"))).to.deep.equal({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: "default", namespace: "argocd", annotations: { "pulumi.com/patchForce": "true" } },
                spec: {
                    description: "Locked: every Application names a real project",
                    sourceRepos: [], destinations: [], clusterResourceWhitelist: [], namespaceResourceWhitelist: [],
                },
            });
            expect(inputs(byName(prod, APP_PROJECT, "argocd-platform-project")).spec).to.deep.equal({
                description: "The platform's own applications: the root app-of-apps and the spoke add-ons",
                sourceRepos: ["https://github.com/acme/platform-gitops.git", "https://kyverno.github.io/kyverno/"],
                destinations: [{ server: "*", namespace: "*" }],
                clusterResourceWhitelist: [{ group: "*", kind: "*" }],
            });
        });

        it("syncs the root app-of-apps from the stack's rootApp in the platform project", () => {
            expect(inputs(byName(prod, CR("argoproj.io/v1alpha1", "Application"), "argocd-root-app"))).to.deep.equal({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Application",
                metadata: { name: "root", namespace: "argocd", annotations: { "gitops-hub.io/project-at-creation": "platform" } },
                spec: {
                    project: "platform",
                    source: { repoURL: "https://github.com/acme/platform-gitops.git", path: "clusters/prod", targetRevision: "v1.0.0" },
                    destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
                    syncPolicy: {
                        automated: { prune: true, selfHeal: true },
                        syncOptions: ["RespectIgnoreDifferences=true", "PruneLast=true", "FailOnSharedResource=true"],
                    },
                },
            });
            expect(byName(prod, CR("argoproj.io/v1alpha1", "Application"), "argocd-root-app").ignoreChanges)
                .to.deep.equal(['metadata.annotations["gitops-hub.io/project-at-creation"]']);
        });

        it("exports the hub's ClusterPolicies for the spokes' policy directory", () => {
            const byPolicyName = (a: any, b: any) => a.metadata.name.localeCompare(b.metadata.name);
            const exported = [...(dev.outputs.kyvernoClusterPolicies as any[])].sort(byPolicyName);
            expect(exported).to.deep.equal(ofType(dev, CLUSTER_POLICY).map((r) => inputs(r)).sort(byPolicyName));
        });

        it("rolls the kyverno add-on out to every cluster labelled kyverno: enabled, at the hub's chart version", () => {
            const appSet = inputs(byName(prod, APPLICATION_SET, "argocd-addon-kyverno"));
            expect(appSet.metadata).to.deep.equal({ name: "kyverno", namespace: "argocd" });
            expect(appSet.spec.generators).to.deep.equal([{ clusters: { selector: { matchLabels: { kyverno: "enabled" } } } }]);
            const { spec, metadata } = appSet.spec.template;
            // `<tenant>.addon.<addon>`: never a tenant app's name (one dot) nor another add-on's.
            expect(metadata).to.deep.equal({ name: "{{name}}.addon.kyverno" });
            expect(spec.project).to.equal("platform");
            expect(spec.destination).to.deep.equal({ server: "{{server}}", namespace: "kyverno" });
            expect(spec.source).to.deep.include({ repoURL: CHARTS.kyverno.repo, chart: "kyverno", targetRevision: CHARTS.kyverno.version });
            expect(spec.source.helm.valuesObject.admissionController.replicas).to.equal(3);
            expect(spec.syncPolicy.syncOptions).to.deep.equal(["CreateNamespace=true", "ServerSideApply=true"]);
        });

        it("rolls the ClusterPolicies out from policies/<environment> in the platform repo", () => {
            const template = inputs(byName(dev, APPLICATION_SET, "argocd-addon-kyverno-policies")).spec.template;
            expect(inputs(byName(dev, APPLICATION_SET, "argocd-addon-kyverno-policies")).spec.generators)
                .to.deep.equal([{ clusters: { selector: { matchLabels: { "kyverno-policies": "enabled" } } } }]);
            expect(template.spec.project).to.equal("platform");
            expect(template.spec.source).to.deep.equal({ repoURL: "https://github.com/acme/platform-gitops.git", targetRevision: "main", path: "policies/dev" });
            expect(template.spec.destination).to.deep.equal({ server: "{{server}}" });
            expect(template.metadata).to.deep.equal({ name: "{{name}}.addon.kyverno-policies" });
        });
    });

    describe("upstream schemas", () => {
        it("validates every Kubernetes object against its upstream schema (ClusterPolicies excepted)", async () => {
            for (const result of [dev, prod]) {
                const objects = result.resources.filter(isKubernetesObject).filter((r) => !NO_UPSTREAM_MODEL.includes(r.type));
                expect(objects.length).to.be.greaterThan(15);
                const errors = (await Promise.all(objects.map(validateAgainstUpstream))).filter((e) => e !== undefined);
                expect(errors).to.deep.equal([]);
            }
        });
    });

    describe("an uninitialised prod Vault", () => {
        let uninitialised: RunResult;
        before(async () => {
            const platform = platformOf("prod");
            platform.vault.initialized = false;
            uninitialised = await runStack("prod", { platform, tenants: [] });
        });

        it("registers no Vault provider and no Vault configuration", () => {
            expect(uninitialised.resources.filter((r) => r.type.startsWith("vault:") || r.type === "pulumi:providers:vault"
                || r.type === "gitops-hub:hub:VaultConfig").map(key)).to.deep.equal([]);
            expect(dependencyNames(uninitialised, byName(uninitialised, "gitops-hub:hub:ExternalSecrets", "external-secrets"))).to.deep.equal([]);
        });

        it("tells the operator exactly what to run next", () => {
            expect(uninitialised.outputs.vaultNextSteps).to.equal(UNINITIALISED_NEXT_STEPS);
        });
    });
});

const PROD_RAFT_CONFIG = `ui = true
disable_mlock = true

listener "tcp" {
  address         = "[::]:8200"
  cluster_address = "[::]:8201"
  tls_cert_file   = "/vault/userconfig/vault-tls/tls.crt"
  tls_key_file    = "/vault/userconfig/vault-tls/tls.key"
  tls_min_version = "tls12"
}

storage "raft" {
  path = "/vault/data"
  retry_join {
    leader_api_addr     = "https://vault-0.vault-internal:8200"
    leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"
  }
  retry_join {
    leader_api_addr     = "https://vault-1.vault-internal:8200"
    leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"
  }
  retry_join {
    leader_api_addr     = "https://vault-2.vault-internal:8200"
    leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"
  }
}

service_registration "kubernetes" {}
`;

const UNINITIALISED_NEXT_STEPS = `Vault (3 raft servers) is deployed but not initialised. Next:
1. Initialise it once. The output holds the unseal (or recovery) keys and the root token: keep it OFF the cluster
   (a password manager or an offline safe), never in Git, CI logs, Kubernetes objects or Pulumi config:
     kubectl -n vault exec vault-0 -- vault operator init -key-shares=5 -key-threshold=3 -format=json > vault-init.json
2. Unseal every server with 3 of the 5 unseal keys (run each command three times, with a different key each time):
     kubectl -n vault exec -ti vault-0 -- vault operator unseal
     kubectl -n vault exec -ti vault-1 -- vault operator unseal
     kubectl -n vault exec -ti vault-2 -- vault operator unseal
3. Reach Vault from this machine and trust its CA:
     kubectl -n vault port-forward svc/vault 8200:8200
     kubectl -n vault get secret vault-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > vault-ca.crt
     export VAULT_CACERT=$PWD/vault-ca.crt
4. Give Pulumi an admin token (the root token from step 1, or a narrower one you create with it), either
   encrypted in the stack:
     pulumi config set --secret gitops-hub:vaultToken <token>
   or only for this shell:
     export VAULT_TOKEN=<token>
5. Set platform.vault.initialized: true in the stack's config and run \`pulumi up\` again.
Then delete vault-init.json from this machine once its contents are stored safely.`;
