// One tenant through the real program: what its Tenant component registers, with which inputs,
// parents, dependencies and protection.
import { expect } from "chai";
import type { RunResult } from "../scripts/recorder";
import { parseVaultPolicy } from "../policy-pack/catalog/platform/vault-hcl";
import { vaultTenantPolicyScoped } from "../policy-pack/catalog/platform/vault-tenant-policy-scoped";
import { vaultAuthRoleBound } from "../policy-pack/catalog/platform/vault-auth-role-bound";
import { appprojectNoWildcards } from "../policy-pack/catalog/platform/appproject-no-wildcards";
import { vclusterQuotaEnabled } from "../policy-pack/catalog/platform/vcluster-quota-enabled";
import * as fs from "fs";
import * as path from "path";
import { platformRules, runtimeRules, stackRules } from "../policy-pack/catalog";
import { dependencyNames, parentOf } from "./helpers";
import { isKubernetesObject, validateAgainstUpstream } from "./kubernetes-schemas";
import { repoSecretManifest } from "../components/tenant/manifests";
import { TENANT_TYPE, childrenOf, loadTenants, manifestContext, objectOf, runTenants, tenantComponent, typeNames } from "./tenant-fixtures";

const CONFIG_REPO = "https://github.com/acme/team-b-config.git";
const CHART_REPO = "oci://ghcr.io/acme/charts";
// repoSecretName("team-b", CHART_REPO): the first 8 hex digits of the URL's SHA-256.
const CHART_REPO_HASH = "9665339d";

const TEAM_B = {
    name: "team-b",
    ownerGroups: ["team-b-admins", "team-b-devs"],
    repos: [
        { url: CONFIG_REPO, type: "git" },
        { url: CHART_REPO, type: "oci", credentialsVaultKey: "repos/ghcr" },
    ],
    applications: [
        { name: "config", repoURL: CONFIG_REPO, path: "envs/dev", targetRevision: "main", namespace: "config" },
        { name: "api", repoURL: CHART_REPO, chart: "api", targetRevision: "1.4.2", namespace: "api", syncOptions: ["ServerSideApply=true", "CreateNamespace=false"] },
    ],
    addons: { kyverno: true, "kyverno-policies": false },
    syncWindows: [{ kind: "deny", schedule: "0 22 * * *", duration: "8h", applications: ["api"], manualSync: true }],
};

const NS = "vcluster-team-b";
const LABELS = { "gitops-hub.io/tenant": "team-b", "gitops-hub.io/environment": "dev" };

const KEPT = [
    "kubernetes:core/v1:Namespace team-b-namespace",
    "kubernetes:helm.sh/v4:Chart team-b-vcluster",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-allow-namespace-and-dns",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-allow-vcluster-api",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-default-deny",
    "vault:index/mount:Mount team-b-vault-mount",
];

const ALL = [
    "kubernetes:argoproj.io/v1alpha1:AppProject team-b-project",
    "kubernetes:argoproj.io/v1alpha1:Application team-b-app.api",
    "kubernetes:argoproj.io/v1alpha1:Application team-b-app.config",
    "kubernetes:core/v1:Namespace team-b-namespace",
    "kubernetes:core/v1:ServiceAccount team-b-kubeconfig-reader",
    "kubernetes:core/v1:ServiceAccount team-b-repo-reader",
    "kubernetes:core/v1:ServiceAccount team-b-store-account",
    "kubernetes:external-secrets.io/v1:ExternalSecret team-b-cluster-secret",
    `kubernetes:external-secrets.io/v1:ExternalSecret team-b-repo-${CHART_REPO_HASH}`,
    "kubernetes:external-secrets.io/v1:SecretStore team-b-kubeconfig-store",
    "kubernetes:external-secrets.io/v1:SecretStore team-b-repo-store",
    "kubernetes:external-secrets.io/v1:SecretStore team-b-secret-store",
    "kubernetes:helm.sh/v4:Chart team-b-vcluster",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-allow-namespace-and-dns",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-allow-vcluster-api",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-default-deny",
    "kubernetes:rbac.authorization.k8s.io/v1:Role team-b-kubeconfig-reader-role",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding team-b-kubeconfig-reader-binding",
    "vault:index/mount:Mount team-b-vault-mount",
    "vault:index/policy:Policy team-b-repo-policy",
    "vault:index/policy:Policy team-b-vault-policy",
    "vault:kubernetes/authBackendRole:AuthBackendRole team-b-repo-role",
    "vault:kubernetes/authBackendRole:AuthBackendRole team-b-vault-role",
];

describe("Tenant (one tenant through the program)", function () {
    this.timeout(60_000);
    let dev: RunResult;
    let prod: RunResult;
    let decommissioned: RunResult;

    before(async () => {
        dev = await runTenants("dev", [TEAM_B]);
        prod = await runTenants("prod", [TEAM_B]);
        decommissioned = await runTenants("dev", [{ ...TEAM_B, state: "decommissioned" }]);
    });

    const child = (result: RunResult, name: string) => {
        const found = childrenOf(result, "team-b").filter((r) => r.name === name);
        expect(found, name).to.have.length(1);
        return found[0];
    };
    const spec = (result: RunResult, name: string) => objectOf(child(result, name)).spec;

    describe("what it registers", () => {
        it("registers exactly these resources under the component, all its direct children", () => {
            expect(typeNames(childrenOf(dev, "team-b"))).to.deep.equal(ALL);
            const component = tenantComponent(dev, "team-b");
            expect(parentOf(dev, component)).to.equal("(root)");
            // Nothing else in the stack is named after the tenant or hangs below the component.
            const others = dev.resources.filter((r) => r.name.startsWith("team-b") && r.parent !== component.urn && r.type !== TENANT_TYPE);
            expect(others.map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
        });

        it("keeps only the namespace, its NetworkPolicies, the vCluster and the Vault mount when decommissioned", () => {
            expect(typeNames(childrenOf(decommissioned, "team-b"))).to.deep.equal(KEPT);
            expect(objectOf(child(decommissioned, "team-b-namespace")).metadata.labels["gitops-hub.io/tenant-state"]).to.equal("decommissioned");
            expect(decommissioned.outputs.tenantStores).to.deep.equal({ "team-b": "" });
        });

        it("exports the tenant's name and the name of its own SecretStore", () => {
            expect(dev.outputs.tenantNames).to.deep.equal(["team-b"]);
            expect(dev.outputs.tenantStores).to.deep.equal({ "team-b": "tenant-team-b" });
        });

        it("talks to Vault only through the stack's Vault provider", () => {
            for (const resource of childrenOf(dev, "team-b").filter((r) => r.type.startsWith("vault:"))) {
                expect(resource.provider, resource.name).to.match(/^urn:pulumi:dev::gitops-hub::pulumi:providers:vault::vault::/);
            }
        });
    });

    describe("the namespace and its isolation", () => {
        it("labels the namespace with tenant, environment, state and Pod Security levels", () => {
            expect(objectOf(child(dev, "team-b-namespace"))).to.deep.equal({
                apiVersion: "v1",
                kind: "Namespace",
                metadata: {
                    name: NS,
                    labels: {
                        ...LABELS,
                        "gitops-hub.io/tenant-state": "active",
                        "pod-security.kubernetes.io/enforce": "baseline",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/warn-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/audit-version": "latest",
                    },
                },
            });
        });

        it("denies all traffic of the namespace by default", () => {
            expect(objectOf(child(dev, "team-b-netpol-default-deny")).metadata).to.deep.equal({ name: "default-deny", namespace: NS, labels: LABELS });
            expect(spec(dev, "team-b-netpol-default-deny")).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        });

        it("allows traffic inside the namespace and DNS to kube-system, nothing from other namespaces", () => {
            expect(spec(dev, "team-b-netpol-allow-namespace-and-dns")).to.deep.equal({
                podSelector: {},
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [{ podSelector: {} }] }],
                egress: [
                    { to: [{ podSelector: {} }] },
                    {
                        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                    },
                ],
            });
        });

        it("lets only Argo CD's namespace reach the vCluster API on 8443, and the syncer reach the hub API server", () => {
            expect(spec(dev, "team-b-netpol-allow-vcluster-api")).to.deep.equal({
                podSelector: { matchLabels: { app: "vcluster", release: "team-b" } },
                policyTypes: ["Ingress", "Egress"],
                ingress: [{
                    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "argocd" } } }],
                    ports: [{ protocol: "TCP", port: 8443 }],
                }],
                egress: [{ ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }],
            });
        });

        it("limits the vCluster control plane's egress to the hub API server's configured endpoints in prod", () => {
            // Pulumi.prod.yaml, platform.hubApiServer.endpoints.
            expect(spec(prod, "team-b-netpol-allow-vcluster-api").egress).to.deep.equal(["10.0.0.10", "10.0.0.11", "10.0.0.12"].map((address) => ({
                to: [{ ipBlock: { cidr: `${address}/32` } }],
                ports: [{ protocol: "TCP", port: 6443 }],
            })));
        });
    });

    describe("the vCluster", () => {
        it("installs the pinned chart as release <t> in vcluster-<t>", () => {
            const { chart, version, repositoryOpts, name, namespace } = child(dev, "team-b-vcluster").inputs as Record<string, unknown>;
            expect({ chart, version, repositoryOpts, name, namespace }).to.deep.equal({
                chart: "vcluster", version: "0.28.0", repositoryOpts: { repo: "https://charts.loft.sh" }, name: "team-b", namespace: NS,
            });
        });

        it("sets the Kubernetes version, the Service SANs, the exported kubeconfig's server and the quota", () => {
            const values = (child(dev, "team-b-vcluster").inputs as any).values;
            expect(values.controlPlane.distro.k8s.enabled).to.equal(true);
            expect(values.controlPlane.distro.k8s.image).to.deep.equal({ tag: "v1.33.4" });
            expect(values.controlPlane.proxy.extraSANs).to.deep.equal([`team-b.${NS}.svc`, `team-b.${NS}.svc.cluster.local`]);
            expect(values.exportKubeConfig).to.deep.equal({ context: "team-b", server: `https://team-b.${NS}.svc:443`, insecure: false });
            expect(values.policies).to.deep.equal({
                resourceQuota: {
                    enabled: true,
                    quota: {
                        "requests.cpu": "2", "limits.cpu": "2", "requests.memory": "4Gi", "limits.memory": "4Gi",
                        "requests.storage": "10Gi", "requests.ephemeral-storage": "40Gi", "limits.ephemeral-storage": "160Gi",
                        "count/pods": 20, "count/services": 20, "count/endpoints": 40, "count/secrets": 100, "count/configmaps": 100,
                        "count/persistentvolumeclaims": 20, "services.nodeports": 0, "services.loadbalancers": 0,
                    },
                },
                limitRange: {
                    enabled: true,
                    default: { cpu: "1", memory: "512Mi", "ephemeral-storage": "4Gi" },
                    defaultRequest: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" },
                },
                networkPolicy: { enabled: false },
                // The vCluster checks each pod against this level before syncing it (dev: baseline).
                podSecurityStandard: "baseline",
            });
        });

        it("runs the control plane as non-root with a read-only root, without privilege escalation or capabilities", () => {
            const controlPlane = (child(dev, "team-b-vcluster").inputs as any).values.controlPlane;
            const container = {
                allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 12345, runAsGroup: 12345,
                capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
            };
            const pod = { runAsNonRoot: true, runAsUser: 12345, runAsGroup: 12345, fsGroup: 12345, seccompProfile: { type: "RuntimeDefault" } };
            expect(controlPlane.statefulSet.security).to.deep.equal({ podSecurityContext: pod, containerSecurityContext: container });
            expect(controlPlane.coredns.security).to.deep.equal({ podSecurityContext: pod, containerSecurityContext: container });
            expect(controlPlane.distro.k8s.securityContext).to.deep.equal(container);
            expect(controlPlane.statefulSet.imagePullPolicy).to.equal("IfNotPresent");
        });

        it("passes the policy pack's vcluster-quota-enabled rule", () => {
            const resource = child(dev, "team-b-vcluster");
            expect(vclusterQuotaEnabled.check({ type: resource.type, name: resource.name, props: resource.inputs }, { environment: "dev", settings: {} } as any)).to.deep.equal([]);
        });
    });

    describe("the Argo CD registration", () => {
        it("lets the kubeconfig reader get exactly secret vc-<t> in the tenant namespace", () => {
            expect(objectOf(child(dev, "team-b-kubeconfig-reader-role"))).to.deep.equal({
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "Role",
                metadata: { name: "team-b-kubeconfig-reader", namespace: NS, labels: LABELS },
                rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["vc-team-b"], verbs: ["get"] }],
            });
            expect(objectOf(child(dev, "team-b-kubeconfig-reader-binding")).subjects).to.deep.equal([{ kind: "ServiceAccount", name: "team-b-kubeconfig-reader", namespace: "argocd" }]);
            expect(objectOf(child(dev, "team-b-kubeconfig-reader")).metadata).to.deep.equal({ name: "team-b-kubeconfig-reader", namespace: "argocd", labels: LABELS });
        });

        it("reads the tenant namespace through a Kubernetes-provider SecretStore in argocd", () => {
            expect(objectOf(child(dev, "team-b-kubeconfig-store")).metadata).to.deep.equal({ name: "kubeconfig-team-b", namespace: "argocd", labels: LABELS });
            expect(spec(dev, "team-b-kubeconfig-store")).to.deep.equal({
                provider: {
                    kubernetes: {
                        remoteNamespace: NS,
                        server: { url: "https://kubernetes.default.svc", caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
                        auth: { serviceAccount: { name: "team-b-kubeconfig-reader" } },
                    },
                },
            });
        });

        it("templates the Argo CD cluster secret with add-on labels, project and TLS config from the vCluster's keys", () => {
            const es = objectOf(child(dev, "team-b-cluster-secret"));
            expect(es.metadata).to.deep.equal({ name: "cluster-team-b", namespace: "argocd", labels: LABELS });
            expect(es.spec.refreshInterval).to.equal("60s");
            expect(es.spec.secretStoreRef).to.deep.equal({ kind: "SecretStore", name: "kubeconfig-team-b" });
            expect(es.spec.target.name).to.equal("cluster-team-b");
            expect(es.spec.target.creationPolicy).to.equal("Owner");
            expect(es.spec.target.template.metadata).to.deep.equal({
                labels: { "argocd.argoproj.io/secret-type": "cluster", ...LABELS, kyverno: "enabled", "kyverno-policies": "disabled" },
                annotations: LABELS,
            });
            expect(es.spec.target.template.data).to.deep.equal({
                name: "team-b",
                server: `https://team-b.${NS}.svc:443`,
                project: "team-b",
                config: '{"tlsClientConfig":{"insecure":false,'
                    + '"caData":"{{ index . "certificate-authority" | b64enc }}",'
                    + '"certData":"{{ index . "client-certificate" | b64enc }}",'
                    + '"keyData":"{{ index . "client-key" | b64enc }}"}}',
            });
            expect(es.spec.data).to.deep.equal(["certificate-authority", "client-certificate", "client-key"].map((key) => ({
                secretKey: key, remoteRef: { key: "vc-team-b", property: key },
            })));
        });

        it("passes no credential through Pulumi: no Secret resource and no secret input", () => {
            const children = childrenOf(dev, "team-b");
            expect(children.filter((r) => r.type === "kubernetes:core/v1:Secret")).to.deep.equal([]);
            expect(children.flatMap((r) => r.secretPaths)).to.deep.equal([]);
        });
    });

    describe("the AppProject and the Applications", () => {
        it("grants only the tenant's repos and vCluster namespaces, to its owners, with its sync windows", () => {
            expect(objectOf(child(dev, "team-b-project")).metadata).to.deep.equal({ name: "team-b", namespace: "argocd", labels: LABELS });
            expect(spec(dev, "team-b-project")).to.deep.equal({
                description: "Tenant team-b: its repositories, deployed to its vCluster only.",
                sourceRepos: [CONFIG_REPO, CHART_REPO],
                destinations: [{ name: "team-b", namespace: "api" }, { name: "team-b", namespace: "config" }],
                sourceNamespaces: ["argocd"],
                permitOnlyProjectScopedClusters: true,
                clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
                orphanedResources: { warn: true },
                roles: [{
                    name: "owners",
                    description: "Owners of tenant team-b",
                    groups: ["team-b-admins", "team-b-devs"],
                    // Their own project only; no exec unless the entry asks (test/argocd-rbac.spec.ts evaluates these).
                    policies: ["p, proj:team-b:owners, applications, *, team-b/*, allow", "p, proj:team-b:owners, logs, get, team-b/*, allow"],
                }],
                syncWindows: [{ kind: "deny", schedule: "0 22 * * *", duration: "8h", applications: ["team-b.api"], manualSync: true }],
            });
        });

        it("passes the policy pack's appproject-no-wildcards rule", () => {
            const resource = child(dev, "team-b-project");
            expect(appprojectNoWildcards.check({ type: resource.type, name: resource.name, props: resource.inputs }, { environment: "dev", settings: {} } as any)).to.deep.equal([]);
        });

        it("deploys a git app with the default sync options to its namespace of the tenant's vCluster", () => {
            expect(objectOf(child(dev, "team-b-app.config"))).to.deep.equal({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Application",
                metadata: { name: "team-b.config", namespace: "argocd", labels: LABELS, annotations: { "gitops-hub.io/project-at-creation": "team-b" } },
                spec: {
                    project: "team-b",
                    source: { repoURL: CONFIG_REPO, targetRevision: "main", path: "envs/dev" },
                    destination: { name: "team-b", namespace: "config" },
                    syncPolicy: {
                        automated: { prune: true, selfHeal: true },
                        syncOptions: ["CreateNamespace=false", "PruneLast=true", "FailOnSharedResource=true", "RespectIgnoreDifferences=true", "ApplyOutOfSyncOnly=true"],
                    },
                },
            });
        });

        it("aliases each Application to its logical name before the rename (`<t>-app-<app>`)", () => {
            for (const app of ["api", "config"]) {
                // The engine receives the alias as a spec: the old name, under the same parent (type, stack and project unchanged).
                expect(child(dev, `team-b-app.${app}`).aliases.map((a) => JSON.parse(a)), app).to.deep.equal([{
                    spec: { name: `team-b-app-${app}`, type: "", stack: "", project: "", parenturn: "urn:pulumi:dev::gitops-hub::gitops-hub:tenant:Tenant::team-b" },
                }]);
            }
        });

        it("keeps the project an Application was created in (annotation under ignoreChanges)", () => {
            for (const name of ["team-b-app.api", "team-b-app.config"]) {
                expect(child(dev, name).ignoreChanges, name).to.deep.equal(['metadata.annotations["gitops-hub.io/project-at-creation"]']);
                expect(objectOf(child(dev, name)).metadata.annotations, name).to.deep.equal({ "gitops-hub.io/project-at-creation": "team-b" });
            }
            expect(childrenOf(dev, "team-b").filter((r) => r.ignoreChanges.length > 0).map((r) => r.name).sort()).to.deep.equal(["team-b-app.api", "team-b-app.config"]);
        });

        it("deploys a chart app with the sync options the tenant entry sets", () => {
            expect(spec(dev, "team-b-app.api")).to.deep.equal({
                project: "team-b",
                source: { repoURL: CHART_REPO, targetRevision: "1.4.2", chart: "api" },
                destination: { name: "team-b", namespace: "api" },
                syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["ServerSideApply=true", "CreateNamespace=false"] },
            });
        });
    });

    describe("Vault", () => {
        it("mounts the tenant's KV v2 space at tenants/<t>", () => {
            expect(child(dev, "team-b-vault-mount").inputs).to.deep.equal({
                path: "tenants/team-b", type: "kv", options: { version: "2" }, description: "Secrets of tenant team-b",
            });
        });

        it("writes the tenant policy as exactly read/list on its data and metadata", () => {
            const policy = child(dev, "team-b-vault-policy").inputs as { name: string; policy: string };
            expect(policy.name).to.equal("tenant-team-b");
            expect(policy.policy).to.equal(
                'path "tenants/team-b/data/*" {\n  capabilities = ["read", "list"]\n}\n\n'
                + 'path "tenants/team-b/metadata/*" {\n  capabilities = ["read", "list"]\n}\n',
            );
            expect(parseVaultPolicy(policy.policy).paths.map((p) => [p.path, p.capabilities])).to.deep.equal([
                ["tenants/team-b/data/*", ["read", "list"]],
                ["tenants/team-b/metadata/*", ["read", "list"]],
            ]);
            expect(vaultTenantPolicyScoped.check({ type: "vault:index/policy:Policy", name: "team-b-vault-policy", props: policy }, { environment: "dev", settings: {} } as any)).to.deep.equal([]);
        });

        it("binds the tenant role to one service account in the tenant namespace, with the audience and a 10-minute token", () => {
            const role = child(dev, "team-b-vault-role");
            expect(role.inputs).to.deep.equal({
                backend: "kubernetes",
                roleName: "tenant-team-b",
                boundServiceAccountNames: ["vault-secret-store"],
                boundServiceAccountNamespaces: [NS],
                audience: "vault",
                tokenPolicies: ["tenant-team-b"],
                // Not Vault's default of 768 h: External Secrets logs in again on every refresh.
                tokenTtl: 600,
                tokenMaxTtl: 600,
            });
            expect(vaultAuthRoleBound.check({ type: role.type, name: role.name, props: role.inputs }, { environment: "dev", settings: {} } as any)).to.deep.equal([]);
        });

        it("gives the tenant its own SecretStore in its namespace, logging in with that role", () => {
            expect(objectOf(child(dev, "team-b-secret-store")).metadata).to.deep.equal({ name: "tenant-team-b", namespace: NS, labels: LABELS });
            expect(spec(dev, "team-b-secret-store")).to.deep.equal({
                provider: {
                    vault: {
                        server: "http://vault.vault.svc:8200",
                        path: "tenants/team-b",
                        version: "v2",
                        auth: { kubernetes: { mountPath: "kubernetes", role: "tenant-team-b", serviceAccountRef: { name: "vault-secret-store", audiences: ["vault"] } } },
                    },
                },
            });
            expect(objectOf(child(dev, "team-b-store-account")).metadata).to.deep.equal({ name: "vault-secret-store", namespace: NS, labels: LABELS });
        });

        it("limits Argo CD's repository reader to the tenant's repos/ keys, with a 10-minute token", () => {
            const policy = child(dev, "team-b-repo-policy").inputs as { name: string; policy: string };
            expect(policy).to.deep.equal({ name: "argocd-repos-team-b", policy: 'path "tenants/team-b/data/repos/*" {\n  capabilities = ["read"]\n}\n' });
            expect(child(dev, "team-b-repo-role").inputs).to.deep.equal({
                backend: "kubernetes",
                roleName: "argocd-repos-team-b",
                boundServiceAccountNames: ["team-b-repo-reader"],
                boundServiceAccountNamespaces: ["argocd"],
                audience: "vault",
                tokenPolicies: ["argocd-repos-team-b"],
                tokenTtl: 600,
                tokenMaxTtl: 600,
            });
            expect(spec(dev, "team-b-repo-store").provider.vault.auth.kubernetes).to.deep.equal({
                mountPath: "kubernetes", role: "argocd-repos-team-b", serviceAccountRef: { name: "team-b-repo-reader", audiences: ["vault"] },
            });
            expect(objectOf(child(dev, "team-b-repo-store")).metadata).to.deep.equal({ name: "repos-team-b", namespace: "argocd", labels: LABELS });
        });

        it("produces a project-scoped repository secret for the credentialed repo only", () => {
            const es = objectOf(child(dev, `team-b-repo-${CHART_REPO_HASH}`));
            const name = `repo-team-b-${CHART_REPO_HASH}`;
            expect(es.metadata).to.deep.equal({ name, namespace: "argocd", labels: LABELS });
            expect(es.spec).to.deep.equal({
                refreshInterval: "60s",
                secretStoreRef: { kind: "SecretStore", name: "repos-team-b" },
                target: {
                    name,
                    creationPolicy: "Owner",
                    template: {
                        engineVersion: "v2",
                        type: "Opaque",
                        metadata: { labels: { "argocd.argoproj.io/secret-type": "repository", ...LABELS } },
                        data: { url: CHART_REPO, type: "oci", project: "team-b", username: "{{ .username }}", password: "{{ .password }}" },
                    },
                },
                data: [
                    { secretKey: "username", remoteRef: { key: "repos/ghcr", property: "username" } },
                    { secretKey: "password", remoteRef: { key: "repos/ghcr", property: "password" } },
                ],
            });
        });
    });

    describe("repository credentials over SSH", () => {
        it("reads sshPrivateKey instead of username and password for git@ and ssh:// URLs", () => {
            const [tenant] = loadTenants("dev", [{
                name: "team-c", ownerGroups: ["c"],
                repos: [{ url: "git@github.com:acme/c.git", type: "git", credentialsVaultKey: "repos/c" }, { url: "ssh://git@example.com/c.git", type: "git", credentialsVaultKey: "repos/c2" }],
            }]);
            for (const repo of tenant.repos) {
                const spec = repoSecretManifest(tenant, repo, manifestContext("dev")).spec as any;
                expect(spec.target.template.data).to.deep.equal({ url: repo.url, type: "git", project: "team-c", sshPrivateKey: "{{ .sshPrivateKey }}" });
                expect(spec.data).to.deep.equal([{ secretKey: "sshPrivateKey", remoteRef: { key: repo.credentialsVaultKey, property: "sshPrivateKey" } }]);
            }
        });
    });

    describe("ordering", () => {
        // The hub's Argo CD and External Secrets components, expanded to their resources.
        let hub: string[];
        before(() => {
            hub = dependencyNames(dev, child(dev, "team-b-project"));
        });
        const deps = (name: string) => dependencyNames(dev, child(dev, name));
        const withHub = (...own: string[]) => [...hub, ...own].sort();

        it("waits for the hub's Argo CD and External Secrets (their CRDs) before any tenant custom resource", () => {
            expect(hub).to.include.members(["kubernetes:helm.sh/v4:Chart argocd-chart", "kubernetes:helm.sh/v4:Chart external-secrets-chart"]);
            expect(hub.every((d) => !d.includes(" team-b"))).to.equal(true);
            for (const name of ["team-b-project", "team-b-kubeconfig-reader", "team-b-repo-reader"]) expect(deps(name), name).to.deep.equal(withHub());
        });

        it("installs the vCluster after its namespace and NetworkPolicies", () => {
            expect(deps("team-b-vcluster")).to.deep.equal([
                "kubernetes:core/v1:Namespace team-b-namespace",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-allow-namespace-and-dns",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-allow-vcluster-api",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy team-b-netpol-default-deny",
            ]);
            for (const name of ["team-b-netpol-default-deny", "team-b-kubeconfig-reader-role", "team-b-store-account"]) {
                expect(deps(name), name).to.deep.equal(["kubernetes:core/v1:Namespace team-b-namespace"]);
            }
        });

        it("creates the Kubernetes-provider store after its ServiceAccount, Role and RoleBinding", () => {
            expect(deps("team-b-kubeconfig-reader-binding")).to.deep.equal([
                "kubernetes:core/v1:Namespace team-b-namespace",
                "kubernetes:core/v1:ServiceAccount team-b-kubeconfig-reader",
                "kubernetes:rbac.authorization.k8s.io/v1:Role team-b-kubeconfig-reader-role",
            ]);
            expect(deps("team-b-kubeconfig-store")).to.deep.equal(withHub(
                "kubernetes:core/v1:ServiceAccount team-b-kubeconfig-reader",
                "kubernetes:rbac.authorization.k8s.io/v1:Role team-b-kubeconfig-reader-role",
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding team-b-kubeconfig-reader-binding",
            ));
        });

        it("registers the cluster after its store and the vCluster, and the Applications after project and cluster", () => {
            expect(deps("team-b-cluster-secret")).to.deep.equal(withHub(
                "kubernetes:external-secrets.io/v1:SecretStore team-b-kubeconfig-store",
                "kubernetes:helm.sh/v4:Chart team-b-vcluster",
            ));
            for (const name of ["team-b-app.api", "team-b-app.config"]) {
                expect(deps(name), name).to.deep.equal(withHub(
                    "kubernetes:argoproj.io/v1alpha1:AppProject team-b-project",
                    "kubernetes:external-secrets.io/v1:ExternalSecret team-b-cluster-secret",
                ));
            }
        });

        it("creates Vault roles after their policies, and the stores after their roles", () => {
            expect(deps("team-b-vault-role")).to.deep.equal(withHub("vault:index/policy:Policy team-b-vault-policy"));
            expect(deps("team-b-repo-role")).to.deep.equal(withHub("vault:index/policy:Policy team-b-repo-policy"));
            expect(deps("team-b-secret-store")).to.deep.equal(withHub(
                "kubernetes:core/v1:Namespace team-b-namespace",
                "kubernetes:core/v1:ServiceAccount team-b-store-account",
                "vault:kubernetes/authBackendRole:AuthBackendRole team-b-vault-role",
            ));
            expect(deps("team-b-repo-store")).to.deep.equal(withHub(
                "kubernetes:core/v1:ServiceAccount team-b-repo-reader",
                "vault:kubernetes/authBackendRole:AuthBackendRole team-b-repo-role",
            ));
            expect(deps(`team-b-repo-${CHART_REPO_HASH}`)).to.deep.equal(withHub("kubernetes:external-secrets.io/v1:SecretStore team-b-repo-store"));
        });
    });

    describe("protection", () => {
        const STATEFUL = ["team-b-namespace", "team-b-vault-mount", "team-b-vcluster"];

        it("protects and retains the namespace, the vCluster and the Vault mount in prod, and nothing else", () => {
            const children = childrenOf(prod, "team-b");
            expect(children.filter((r) => r.protect).map((r) => r.name).sort()).to.deep.equal(STATEFUL);
            expect(children.filter((r) => r.retainOnDelete).map((r) => r.name).sort()).to.deep.equal(STATEFUL);
        });

        it("keeps the protection of what a decommissioned tenant keeps in prod, so removing or renaming it cannot delete them", async () => {
            const result = await runTenants("prod", [{ ...TEAM_B, state: "decommissioned" }]);
            const children = childrenOf(result, "team-b");
            expect(children.filter((r) => r.protect && r.retainOnDelete).map((r) => r.name).sort()).to.deep.equal(STATEFUL);
            expect(typeNames(children)).to.deep.equal(KEPT);
        });

        it("protects nothing in dev", () => {
            expect(childrenOf(dev, "team-b").filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        });

        it("uses prod's quota, environment label and in-cluster Vault address in prod", () => {
            expect(objectOf(childrenOf(prod, "team-b").find((r) => r.name === "team-b-namespace")!).metadata.labels["gitops-hub.io/environment"]).to.equal("prod");
            const store = objectOf(childrenOf(prod, "team-b").find((r) => r.name === "team-b-secret-store")!);
            expect(store.spec.provider.vault.server).to.equal("https://vault.vault.svc:8200");
            const values = (childrenOf(prod, "team-b").find((r) => r.name === "team-b-vcluster")!.inputs as any).values;
            expect(values.policies.resourceQuota.quota["requests.cpu"]).to.equal("8");
        });
    });

    describe("the policy pack", () => {
        /** Every finding of every rule of the pack over the tenant's resources, with the stack's policy settings. */
        function findings(result: RunResult, env: "dev" | "prod"): string[] {
            const config = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy-pack", "config", `${env}.json`), "utf8")) as Record<string, unknown>;
            const context = (id: string) => ({ environment: env, settings: (typeof config[id] === "object" ? config[id] : {}) as Record<string, unknown> });
            const resources = childrenOf(result, "team-b").map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
            const out: string[] = [];
            for (const resource of resources) {
                for (const rule of platformRules.filter((r) => r.resourceTypes.includes(resource.type))) {
                    out.push(...rule.check(resource, context(rule.id) as any).map((v) => `${rule.id} ${resource.name} ${v.path}: ${v.message}`));
                }
                const kind = (resource.props as { kind?: string }).kind;
                for (const rule of runtimeRules.filter((r) => kind !== undefined && (r.kinds.includes(kind) || r.kinds.includes("*")))) {
                    out.push(...rule.check(resource.props, context(rule.id) as any).map((v) => `${rule.id} ${resource.name} ${v.path}: ${v.message}`));
                }
            }
            for (const rule of stackRules) {
                out.push(...rule.check(resources, context(rule.id) as any).map((v) => `${rule.id} ${v.resource} ${v.path}: ${v.message}`));
            }
            return out;
        }

        it("finds nothing in an active tenant, in dev and in prod, but the app that tracks the branch main", () => {
            const moving = `application-revision-pinned team-b-app.config spec.source.targetRevision: spec.source.targetRevision is "main", which can move; deploy a release tag (e.g. "v1.4.2"), an exact chart version or a full commit SHA, so what runs is what was reviewed.`;
            expect(findings(dev, "dev")).to.deep.equal([moving]);
            expect(findings(prod, "prod")).to.deep.equal([moving]);
        });
    });

    describe("upstream schemas", () => {
        it("emits only Kubernetes objects that validate against their upstream schemas", async () => {
            for (const result of [dev, prod, decommissioned]) {
                const objects = childrenOf(result, "team-b").filter(isKubernetesObject);
                expect(objects.length).to.be.greaterThan(0);
                const errors = (await Promise.all(objects.map(validateAgainstUpstream))).filter((e) => e !== undefined);
                expect(errors).to.deep.equal([]);
            }
        });
    });
});
