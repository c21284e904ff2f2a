// Property checks over random sets of 1–50 valid tenants: no grant of one tenant reaches another
// tenant (or the platform), and no two objects or resources share a name. Most runs go through
// the pure builders; a few run the whole program under the recorder and check what it registered.
import { expect } from "chai";
import fc from "fast-check";
import { PLATFORM_VAULT_MOUNT, TENANT_LABEL } from "../policy-pack/catalog/core/conventions";
import { parseVaultPolicy } from "../policy-pack/catalog/platform/vault-hcl";
import { vaultTenantPolicyScoped } from "../policy-pack/catalog/platform/vault-tenant-policy-scoped";
import { vaultAuthRoleBound } from "../policy-pack/catalog/platform/vault-auth-role-bound";
import { appprojectNoWildcards } from "../policy-pack/catalog/platform/appproject-no-wildcards";
import { appprojectUniqueDestinations } from "../policy-pack/catalog/stack/appproject-unique-destinations";
import type { TenantConfig } from "../stacks/schema";
import type { Manifest } from "../components/manifest";
import { ManifestContext, credentialedRepos, ownerPolicies } from "../components/tenant/manifests";
import { tenantNames } from "../components/tenant/naming";
import { VaultRoleSpec, repoReaderPolicyHcl, repoVaultRole, tenantPolicyHcl, tenantVaultRole } from "../components/tenant/vault-policy";
import type { RunResult } from "../scripts/recorder";
import { ARGOCD_NAMESPACE, TENANT_TYPE, childrenOf, loadTenants, manifestContext, objectOf, runTenants, tenantObjects } from "./tenant-fixtures";
import { adversarialTenantSets, tenantSets } from "./tenant-generators";

// Generators of valid tenant entries (raw, as a stack file holds them): test/tenant-generators.ts.

// ---------------------------------------------------------------------------------------
// What a tenant may touch, and the check of everything it has

interface TenantGrants {
    objects: Manifest[];
    vaultPolicies: { name: string; policy: string }[];
    vaultRoles: VaultRoleSpec[];
}

function builtGrants(tenant: TenantConfig, ctx: ManifestContext): TenantGrants {
    const names = tenantNames(tenant.name);
    const active = tenant.state === "active";
    const repos = active && credentialedRepos(tenant).length > 0;
    return {
        objects: tenantObjects(tenant, ctx),
        vaultPolicies: [
            ...(active ? [{ name: names.vaultPolicy, policy: tenantPolicyHcl(tenant.name) }] : []),
            ...(repos ? [{ name: names.repoVaultPolicy, policy: repoReaderPolicyHcl(tenant.name) }] : []),
        ],
        vaultRoles: [...(active ? [tenantVaultRole(tenant.name, ctx)] : []), ...(repos ? [repoVaultRole(tenant.name, ctx)] : [])],
    };
}

function recordedGrants(result: RunResult, tenant: TenantConfig): TenantGrants {
    const children = childrenOf(result, tenant.name);
    return {
        objects: children.filter((r) => r.custom && r.type.startsWith("kubernetes:")).map((r) => objectOf(r) as Manifest),
        vaultPolicies: children.filter((r) => r.type === "vault:index/policy:Policy").map((r) => r.inputs as { name: string; policy: string }),
        vaultRoles: children.filter((r) => r.type === "vault:kubernetes/authBackendRole:AuthBackendRole").map((r) => r.inputs as unknown as VaultRoleSpec),
    };
}

const CONTEXT = { environment: "dev" as const, settings: {} };

/** JSON with object keys sorted: recorded inputs come back with their keys in another order. */
function canon(value: unknown): string {
    return JSON.stringify(value, (_key, v) => (v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** Every way one of the tenant's objects or Vault grants reaches beyond the tenant; empty when none does. */
function crossings(tenant: TenantConfig, grants: TenantGrants): string[] {
    const t = tenant.name;
    const names = tenantNames(t);
    const out: string[] = [];
    const fail = (what: string, value: unknown) => out.push(`${t}: ${what}: ${canon(value)}`);
    const repoUrls = tenant.repos.map((r) => r.url);
    const appNamespaces = [...new Set(tenant.applications.map((a) => a.namespace))].sort();
    const ownAccounts = [names.kubeconfigReader, names.tenantStoreServiceAccount, names.repoReader];

    for (const object of grants.objects) {
        const { kind, metadata } = object;
        const spec = object.spec as any;
        const where = `${kind} ${metadata.namespace ?? ""}/${metadata.name}`;
        if (metadata.labels?.[TENANT_LABEL] !== t) fail(`${where} tenant label`, metadata.labels);
        if (kind !== "Namespace" && ![names.namespace, ARGOCD_NAMESPACE].includes(metadata.namespace ?? "")) fail(`${where} namespace`, metadata.namespace);
        switch (kind) {
            case "Namespace":
                if (metadata.name !== names.namespace) fail(where, metadata.name);
                break;
            case "AppProject": {
                if (metadata.name !== t) fail(`${where} name`, metadata.name);
                if (canon(spec.sourceRepos) !== canon(repoUrls)) fail(`${where} sourceRepos`, spec.sourceRepos);
                if (canon(spec.destinations) !== canon(appNamespaces.map((namespace) => ({ name: t, namespace })))) fail(`${where} destinations`, spec.destinations);
                if (canon(spec.sourceNamespaces) !== canon([ARGOCD_NAMESPACE])) fail(`${where} sourceNamespaces`, spec.sourceNamespaces);
                if (spec.permitOnlyProjectScopedClusters !== true) fail(`${where} permitOnlyProjectScopedClusters`, spec.permitOnlyProjectScopedClusters);
                for (const role of spec.roles) {
                    if (canon(role.groups) !== canon(tenant.ownerGroups)) fail(`${where} role groups`, role.groups);
                    // Only the owners' grants on `<t>/*` (test/argocd-rbac.spec.ts evaluates them with Casbin).
                    if (canon(role.policies) !== canon(ownerPolicies(tenant))) fail(`${where} role policies`, role.policies);
                    for (const policy of role.policies) if (!policy.startsWith(`p, proj:${t}:owners, `) || !policy.endsWith(`, ${t}/*, allow`)) fail(`${where} role policy`, policy);
                }
                const violations = appprojectNoWildcards.check({ type: "kubernetes:argoproj.io/v1alpha1:AppProject", name: t, props: object }, CONTEXT as any);
                if (violations.length > 0) fail(`${where} wildcards`, violations);
                break;
            }
            case "Application":
                if (spec.project !== t) fail(`${where} project`, spec.project);
                if (spec.destination.name !== t || !appNamespaces.includes(spec.destination.namespace)) fail(`${where} destination`, spec.destination);
                if (!repoUrls.includes(spec.source.repoURL)) fail(`${where} source`, spec.source.repoURL);
                if (!metadata.name.startsWith(`${t}.`)) fail(`${where} name`, metadata.name);
                break;
            case "ExternalSecret": {
                const data = spec.target.template.data;
                if (data.project !== t) fail(`${where} project`, data.project);
                const type = spec.target.template.metadata.labels["argocd.argoproj.io/secret-type"];
                if (type === "cluster") {
                    if (data.name !== t || data.server !== `https://${t}.${names.namespace}.svc:443`) fail(`${where} cluster`, data);
                    if (spec.secretStoreRef.name !== names.kubeconfigStore) fail(`${where} store`, spec.secretStoreRef);
                    for (const entry of spec.data) if (entry.remoteRef.key !== names.kubeconfigSecret) fail(`${where} key`, entry.remoteRef);
                } else if (type === "repository") {
                    if (!repoUrls.includes(data.url)) fail(`${where} url`, data.url);
                    if (spec.secretStoreRef.name !== names.repoStore) fail(`${where} store`, spec.secretStoreRef);
                    for (const entry of spec.data) if (!entry.remoteRef.key.startsWith("repos/")) fail(`${where} key`, entry.remoteRef);
                } else {
                    fail(`${where} secret type`, type);
                }
                break;
            }
            case "SecretStore": {
                const { vault, kubernetes } = spec.provider;
                if (kubernetes && kubernetes.remoteNamespace !== names.namespace) fail(`${where} remoteNamespace`, kubernetes.remoteNamespace);
                if (kubernetes && !ownAccounts.includes(kubernetes.auth.serviceAccount.name)) fail(`${where} account`, kubernetes.auth);
                if (vault && (vault.path !== names.vaultMount || ![names.vaultPolicy, names.repoVaultPolicy].includes(vault.auth.kubernetes.role))) fail(`${where} vault`, vault);
                if (vault && !ownAccounts.includes(vault.auth.kubernetes.serviceAccountRef.name)) fail(`${where} account`, vault.auth);
                // The tenant's whole space only from the tenant's namespace; argocd gets the repos/ reader only.
                if (vault && (metadata.namespace === ARGOCD_NAMESPACE) !== (vault.auth.kubernetes.role === names.repoVaultPolicy)) fail(`${where} store placement`, vault.auth);
                break;
            }
            case "Role":
                if (metadata.namespace !== names.namespace || canon((object as any).rules) !== canon([{ apiGroups: [""], resources: ["secrets"], resourceNames: [names.kubeconfigSecret], verbs: ["get"] }])) fail(where, (object as any).rules);
                break;
            case "RoleBinding":
                if (canon((object as any).subjects) !== canon([{ kind: "ServiceAccount", name: names.kubeconfigReader, namespace: ARGOCD_NAMESPACE }])) fail(where, (object as any).subjects);
                break;
            case "ServiceAccount":
                if (!ownAccounts.includes(metadata.name)) fail(where, metadata.name);
                break;
            case "NetworkPolicy": {
                if (metadata.namespace !== names.namespace) fail(`${where} namespace`, metadata.namespace);
                const peers = [...(spec.ingress ?? []).flatMap((r: any) => r.from ?? []), ...(spec.egress ?? []).flatMap((r: any) => r.to ?? [])];
                for (const peer of peers) {
                    if (peer.ipBlock) fail(`${where} ipBlock`, peer);
                    const selected = peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
                    if (peer.namespaceSelector && !["kube-system", ARGOCD_NAMESPACE].includes(selected)) fail(`${where} namespaceSelector`, peer.namespaceSelector);
                }
                const podSelector = canon(spec.podSelector);
                if (podSelector !== "{}" && podSelector !== canon({ matchLabels: { app: "vcluster", release: t } })) fail(`${where} podSelector`, spec.podSelector);
                break;
            }
            default:
                fail("unexpected kind", kind);
        }
    }

    for (const policy of grants.vaultPolicies) {
        if (![names.vaultPolicy, names.repoVaultPolicy].includes(policy.name)) fail("vault policy name", policy.name);
        for (const entry of parseVaultPolicy(policy.policy).paths) {
            const allowed = policy.name === names.vaultPolicy ? `${names.vaultMount}/` : `${names.vaultMount}/data/repos/`;
            if (!entry.path.startsWith(allowed) || entry.path.startsWith(`${PLATFORM_VAULT_MOUNT}/`)) fail(`vault policy ${policy.name} path`, entry.path);
            if (entry.capabilities.some((c) => !["read", "list"].includes(c))) fail(`vault policy ${policy.name} capabilities`, entry.capabilities);
        }
        const scoped = vaultTenantPolicyScoped.check({ type: "vault:index/policy:Policy", name: policy.name, props: policy }, CONTEXT as any);
        if (scoped.length > 0) fail(`vault policy ${policy.name} rule`, scoped);
    }
    for (const role of grants.vaultRoles) {
        const expected = role.roleName === names.vaultPolicy
            ? { account: names.tenantStoreServiceAccount, namespace: names.namespace }
            : { account: names.repoReader, namespace: ARGOCD_NAMESPACE };
        if (![names.vaultPolicy, names.repoVaultPolicy].includes(role.roleName)) fail("vault role name", role.roleName);
        if (canon(role.boundServiceAccountNames) !== canon([expected.account])) fail(`vault role ${role.roleName} accounts`, role.boundServiceAccountNames);
        if (canon(role.boundServiceAccountNamespaces) !== canon([expected.namespace])) fail(`vault role ${role.roleName} namespaces`, role.boundServiceAccountNamespaces);
        if (canon(role.tokenPolicies) !== canon([role.roleName])) fail(`vault role ${role.roleName} policies`, role.tokenPolicies);
        const bound = vaultAuthRoleBound.check({ type: "vault:kubernetes/authBackendRole:AuthBackendRole", name: role.roleName, props: role as any }, CONTEXT as any);
        if (bound.length > 0) fail(`vault role ${role.roleName} rule`, bound);
    }
    return out;
}

/** Keys that would collide if two tenants produced them: Kubernetes objects, Vault policies and roles. */
function collisions(all: TenantGrants[]): string[] {
    const seen = new Map<string, number>();
    all.forEach((grants, owner) => {
        const keys = [
            ...grants.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`),
            ...grants.vaultPolicies.map((p) => `vault policy ${p.name}`),
            ...grants.vaultRoles.map((r) => `vault role ${r.backend}/${r.roleName}`),
        ];
        for (const key of keys) {
            if (seen.has(key)) return;
            seen.set(key, owner);
        }
    });
    const total = all.reduce((n, g) => n + g.objects.length + g.vaultPolicies.length + g.vaultRoles.length, 0);
    return total === seen.size ? [] : [`${total - seen.size} duplicate keys`];
}

function duplicates(values: string[]): string[] {
    return values.filter((v, i) => values.indexOf(v) !== i);
}

describe("Tenant properties (random sets of 1–50 tenants)", function () {
    this.timeout(120_000);
    const ctx = manifestContext("dev");

    it("no grant of a tenant reaches another tenant or the platform, and no two tenants share an object (builders)", () => {
        fc.assert(fc.property(fc.oneof(tenantSets(50), adversarialTenantSets(50)), (raw) => {
            // The generators make only configs the loader accepts.
            const tenants = loadTenants("dev", raw);
            expect(tenants.map((t) => t.name)).to.deep.equal(raw.map((t) => t.name));
            const grants = tenants.map((tenant) => builtGrants(tenant, ctx));
            tenants.forEach((tenant, i) => expect(crossings(tenant, grants[i])).to.deep.equal([]));
            expect(collisions(grants)).to.deep.equal([]);
            const projects = grants.flatMap((g) => g.objects).filter((o) => o.kind === "AppProject")
                .map((o) => ({ type: "kubernetes:argoproj.io/v1alpha1:AppProject", name: o.metadata.name, props: o as unknown as Record<string, unknown> }));
            expect(appprojectUniqueDestinations.check(projects, CONTEXT as any)).to.deep.equal([]);
        }), { numRuns: 60 });
    });

    it("a decommissioned tenant keeps no grant: only its namespace and NetworkPolicies remain as objects", () => {
        fc.assert(fc.property(tenantSets(10), (raw) => {
            for (const tenant of loadTenants("dev", raw.map((t) => ({ ...t, state: "decommissioned" })))) {
                const grants = builtGrants(tenant, ctx);
                expect(grants.objects.map((o) => o.kind)).to.deep.equal(["Namespace", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy"]);
                expect(grants.vaultPolicies).to.deep.equal([]);
                expect(grants.vaultRoles).to.deep.equal([]);
            }
        }), { numRuns: 30 });
    });

    it("through the program: the same holds for what is registered, and resource names never collide", async () => {
        await fc.assert(fc.asyncProperty(fc.oneof(tenantSets(50, "small"), adversarialTenantSets(50, "small")), async (raw) => {
            const tenants = loadTenants("dev", raw);
            const result = await runTenants("dev", raw);
            const urns = result.resources.map((r) => r.urn);
            expect(duplicates(urns)).to.deep.equal([]);
            const components = result.resources.filter((r) => r.type === TENANT_TYPE);
            expect(components.map((c) => c.name).sort()).to.deep.equal(tenants.map((t) => t.name).sort());
            const grants = tenants.map((tenant) => {
                const children = childrenOf(result, tenant.name);
                for (const child of children) expect(child.name.startsWith(`${tenant.name}-`), child.name).to.equal(true);
                const recorded = recordedGrants(result, tenant);
                // What the program registered is exactly what the builders describe.
                const key = (o: Manifest) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
                expect(recorded.objects.map(key).sort()).to.deep.equal(builtGrants(tenant, ctx).objects.map(key).sort());
                expect(crossings(tenant, recorded)).to.deep.equal([]);
                return recorded;
            });
            expect(collisions(grants)).to.deep.equal([]);
            // Tenant objects never take a name the hub uses in the same namespace.
            const hubObjects = result.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !components.some((c) => c.urn === r.parent))
                .map((r) => objectOf(r)).filter((o) => o?.metadata?.name)
                .map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`);
            const tenantObjects = grants.flatMap((g) => g.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`));
            expect(tenantObjects.filter((k) => hubObjects.includes(k))).to.deep.equal([]);
        }), { numRuns: 3 });
    });
});
