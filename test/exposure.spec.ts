// Tenant access from outside the hub (components/tenant/exposure.ts): per tenant the route or
// Ingress, the SANs, the kubeconfig push into exactly that tenant's Vault key; nothing when
// exposure is off; every object against upstream schemas; and, over 1–50 tenants, that no
// tenant's kubeconfig is readable or writable through another tenant's policies.
import { expect } from "chai";
import * as fc from "fast-check";
import {
    HUB_GATEWAY_NAME, HUB_GATEWAY_NAMESPACE, KUBECONFIG_ROTATION, KubernetesObject, PLATFORM_ADMIN_POLICY,
    hubGateway, hubGatewayFor, isExposed, kubeconfigPushSecret, kubeconfigReadCommand, kubeconfigVaultMetadataPath,
    kubeconfigVaultPath, kubeconfigWriterPolicy, kubeconfigWriterPolicyHcl, kubeconfigWriterPolicyName, kubeconfigWriterRole,
    kubeconfigWriterServiceAccount, kubeconfigWriterStore, mergeVclusterValues, platformAdminKubeconfigRotationHcl,
    tenantAccessPlan, tenantIngress, tenantTlsRoute, vclusterApiNetworkPolicy, vclusterExposureValues,
} from "../components/tenant/exposure";
import { TENANT_VAULT_POLICY_PREFIX, tenantVaultPolicy } from "../policy-pack/catalog/core/conventions";
import { vaultAuthRoleBound } from "../policy-pack/catalog/platform/vault-auth-role-bound";
import { parseVaultPolicy } from "../policy-pack/catalog/platform/vault-hcl";
import { vaultTenantPolicyScoped } from "../policy-pack/catalog/platform/vault-tenant-policy-scoped";
import type { RuleContext } from "../policy-pack/catalog/core/types";
import { GATEWAY_EXPOSURE_DEFAULTS } from "../stacks/defaults";
import type { PlatformExposureConfig, TenantConfig } from "../stacks/schema";
import type { RecordedResource } from "../scripts/lib/recorder";
import { validateAgainstUpstream } from "./kubernetes-schemas";

const DOMAIN = "dev.gitops.example.com";
const GATEWAY: PlatformExposureConfig = { mode: "gateway", gatewayClassName: "eg", proxyNamespace: HUB_GATEWAY_NAMESPACE };
const INGRESS: PlatformExposureConfig = { mode: "ingress", ingressClassName: "nginx", proxyNamespace: "ingress-nginx" };
const NONE: PlatformExposureConfig = { mode: "none" };
const RULE_CONTEXT: RuleContext = { settings: {} as RuleContext["settings"], environment: "dev" };

type TenantEntry = Pick<TenantConfig, "name" | "state" | "exposure">;
const tenant = (name: string, enabled: boolean, state: TenantConfig["state"] = "active"): TenantEntry => ({ name, state, exposure: { enabled } });

const planArgs = (exposure: PlatformExposureConfig) => ({
    domain: DOMAIN,
    exposure,
    vaultAddress: "http://vault.vault.svc:8200",
    vaultAuthPath: "kubernetes",
    audience: "vault",
    refreshIntervalSeconds: 60,
});

/** A recorded resource as the recording engine would hand it to validateAgainstUpstream. */
function recorded(object: KubernetesObject): RecordedResource {
    return {
        type: `kubernetes:${object.apiVersion.includes("/") ? object.apiVersion : `core/${object.apiVersion}`}:${object.kind}`,
        name: object.metadata.name,
        urn: `urn:pulumi:test::gitops-hub::${object.kind}::${object.metadata.name}`,
        custom: true,
        dependencies: [],
        protect: false,
        retainOnDelete: false,
        aliases: [],
        ignoreChanges: [],
        inputs: object as unknown as Record<string, unknown>,
        secretPaths: [],
    };
}

// Vault ACL path globs: a trailing `*` is a prefix match, `+` one path segment.
function vaultGlobMatches(glob: string, path: string): boolean {
    const prefix = glob.endsWith("*");
    const body = (prefix ? glob.slice(0, -1) : glob).split("+").map((part) => part.replace(/[.*?^${}()|[\]\\/]/g, "\\$&")).join("[^/]+");
    return new RegExp(`^${body}${prefix ? "" : "$"}`).test(path);
}

/** Capabilities a policy's rules grant on a path (any matching rule counts: stricter than Vault's most-specific-wins). */
function capabilitiesOn(policy: string, path: string): string[] {
    return [...new Set(parseVaultPolicy(policy).paths.filter((p) => vaultGlobMatches(p.path, path)).flatMap((p) => p.capabilities))].sort();
}

/** The widest read policy `tenant-<u>` can be and still pass the policy pack: every capability but sudo on its data and metadata. */
function widestTenantPolicy(name: string): string {
    return [`tenants/${name}/data/*`, `tenants/${name}/metadata/*`]
        .map((p) => `path "${p}" {\n  capabilities = ["create", "read", "update", "patch", "delete", "list"]\n}\n`).join("\n");
}

describe("tenant exposure", () => {
    describe("gateway mode", () => {
        it("gives each exposed tenant a TLS-passthrough listener bound to its own namespace, on one Gateway", () => {
            const gateway = hubGatewayFor({
                platform: { domain: DOMAIN, exposure: GATEWAY },
                tenants: [tenant("team-b", true), tenant("team-a", true), tenant("team-c", false), tenant("team-d", true, "decommissioned")],
            });
            expect(gateway).to.deep.equal({
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: "vcluster-api", namespace: "tenant-gateway" },
                spec: {
                    gatewayClassName: "eg",
                    listeners: ["team-a", "team-b"].map((t) => ({
                        name: t,
                        hostname: `${t}.dev.gitops.example.com`,
                        port: 443,
                        protocol: "TLS",
                        tls: { mode: "Passthrough" },
                        allowedRoutes: {
                            namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": `vcluster-${t}` } } },
                            kinds: [{ group: "gateway.networking.k8s.io", kind: "TLSRoute" }],
                        },
                    })),
                },
            });
        });

        it("routes <t>.<domain> from the tenant's listener to the vCluster Service on 443", () => {
            const plan = tenantAccessPlan(tenant("team-a", true) as TenantConfig, planArgs(GATEWAY))!;
            expect(plan.route).to.deep.equal({
                name: "team-a-gateway-route",
                inputs: {
                    apiVersion: "gateway.networking.k8s.io/v1alpha2",
                    kind: "TLSRoute",
                    metadata: { name: "vcluster-api", namespace: "vcluster-team-a", labels: { "gitops-hub.io/tenant": "team-a" } },
                    spec: {
                        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "vcluster-api", namespace: "tenant-gateway", sectionName: "team-a" }],
                        hostnames: ["team-a.dev.gitops.example.com"],
                        rules: [{ backendRefs: [{ name: "team-a", port: 443 }] }],
                    },
                },
            });
            expect(plan.networkPolicy.inputs.spec).to.deep.equal({
                podSelector: { matchLabels: { app: "vcluster", release: "team-a" } },
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant-gateway" } } }],
                    ports: [{ protocol: "TCP", port: 8443 }],
                }],
            });
        });

        it("creates no Gateway when no tenant is exposed (a Gateway needs a listener) or the mode is not gateway", () => {
            expect(hubGateway({ tenants: [], domain: DOMAIN, gatewayClassName: "eg" })).to.equal(undefined);
            expect(hubGatewayFor({ platform: { domain: DOMAIN, exposure: GATEWAY }, tenants: [tenant("team-a", false)] })).to.equal(undefined);
            expect(hubGatewayFor({ platform: { domain: DOMAIN, exposure: INGRESS }, tenants: [tenant("team-a", true)] })).to.equal(undefined);
        });

        it("defaults the proxy namespace to the Gateway's namespace", () => {
            expect(GATEWAY_EXPOSURE_DEFAULTS.proxyNamespace).to.equal(HUB_GATEWAY_NAMESPACE);
        });
    });

    describe("ingress mode", () => {
        it("gives each exposed tenant an ssl-passthrough Ingress for <t>.<domain> to the vCluster Service on 443", () => {
            const plan = tenantAccessPlan(tenant("team-a", true) as TenantConfig, planArgs(INGRESS))!;
            expect(plan.route).to.deep.equal({
                name: "team-a-api-ingress",
                inputs: {
                    apiVersion: "networking.k8s.io/v1",
                    kind: "Ingress",
                    metadata: {
                        name: "vcluster-api",
                        namespace: "vcluster-team-a",
                        labels: { "gitops-hub.io/tenant": "team-a" },
                        annotations: {
                            "nginx.ingress.kubernetes.io/ssl-passthrough": "true",
                            "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                        },
                    },
                    spec: {
                        ingressClassName: "nginx",
                        rules: [{
                            host: "team-a.dev.gitops.example.com",
                            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "team-a", port: { number: 443 } } } }] },
                        }],
                    },
                },
            });
            expect(plan.networkPolicy.inputs.spec).to.have.nested.property("ingress[0].from[0].namespaceSelector.matchLabels")
                .that.deep.equals({ "kubernetes.io/metadata.name": "ingress-nginx" });
        });
    });

    describe("when exposure is off", () => {
        it("plans nothing for a tenant that did not ask, a decommissioned tenant, or any tenant in mode none", () => {
            expect(tenantAccessPlan(tenant("team-a", false) as TenantConfig, planArgs(GATEWAY))).to.equal(undefined);
            expect(tenantAccessPlan(tenant("team-a", true, "decommissioned") as TenantConfig, planArgs(INGRESS))).to.equal(undefined);
            expect(tenantAccessPlan(tenant("team-a", true) as TenantConfig, planArgs(NONE))).to.equal(undefined);
            expect(isExposed(tenant("team-a", true), NONE)).to.equal(false);
            expect(hubGatewayFor({ platform: { domain: DOMAIN, exposure: NONE }, tenants: [tenant("team-a", true)] })).to.equal(undefined);
        });
    });

    describe("the vCluster's values", () => {
        it("add <t>.<domain> to the serving certificate and export a kubeconfig for it into vc-<t>-external", () => {
            expect(vclusterExposureValues("team-a", DOMAIN)).to.deep.equal({
                controlPlane: { proxy: { extraSANs: ["team-a.dev.gitops.example.com"] } },
                exportKubeConfig: {
                    additionalSecrets: [{
                        name: "vc-team-a-external",
                        namespace: "vcluster-team-a",
                        context: "team-a",
                        server: "https://team-a.dev.gitops.example.com",
                        insecure: false,
                    }],
                },
            });
        });

        it("merge into the tenant's values keeping Argo CD's SANs and its in-hub kubeconfig, never setting exportKubeConfig.secret", () => {
            const base = {
                controlPlane: { proxy: { extraSANs: ["team-a.vcluster-team-a.svc"] }, service: { spec: { type: "ClusterIP" } } },
                exportKubeConfig: { context: "team-a", server: "https://team-a.vcluster-team-a.svc:443", insecure: false },
            };
            expect(mergeVclusterValues(base, vclusterExposureValues("team-a", DOMAIN))).to.deep.equal({
                controlPlane: {
                    proxy: { extraSANs: ["team-a.vcluster-team-a.svc", "team-a.dev.gitops.example.com"] },
                    service: { spec: { type: "ClusterIP" } },
                },
                exportKubeConfig: {
                    context: "team-a",
                    server: "https://team-a.vcluster-team-a.svc:443",
                    insecure: false,
                    additionalSecrets: [{
                        name: "vc-team-a-external",
                        namespace: "vcluster-team-a",
                        context: "team-a",
                        server: "https://team-a.dev.gitops.example.com",
                        insecure: false,
                    }],
                },
            });
            // Merging twice changes nothing: no duplicate SAN or secret.
            const once = mergeVclusterValues(base, vclusterExposureValues("team-a", DOMAIN));
            expect(mergeVclusterValues(once, vclusterExposureValues("team-a", DOMAIN))).to.deep.equal(once);
        });
    });

    describe("kubeconfig delivery", () => {
        it("pushes key config of vc-<t>-external to tenants/<t>/data/kubeconfig, field config, through the tenant's writer store", () => {
            expect(kubeconfigPushSecret("team-a", 60)).to.deep.equal({
                apiVersion: "external-secrets.io/v1alpha1",
                kind: "PushSecret",
                metadata: { name: "kubeconfig", namespace: "vcluster-team-a", labels: { "gitops-hub.io/tenant": "team-a" } },
                spec: {
                    refreshInterval: "60s",
                    updatePolicy: "Replace",
                    deletionPolicy: "None",
                    secretStoreRefs: [{ kind: "SecretStore", name: "vault-kubeconfig-writer" }],
                    selector: { secret: { name: "vc-team-a-external" } },
                    data: [{ match: { secretKey: "config", remoteRef: { remoteKey: "kubeconfig", property: "config" } } }],
                },
            });
            expect(kubeconfigWriterStore("team-a", { vaultAddress: "http://vault.vault.svc:8200", authPath: "kubernetes", audience: "vault" })).to.deep.equal({
                apiVersion: "external-secrets.io/v1",
                kind: "SecretStore",
                metadata: { name: "vault-kubeconfig-writer", namespace: "vcluster-team-a", labels: { "gitops-hub.io/tenant": "team-a" } },
                spec: {
                    provider: {
                        vault: {
                            server: "http://vault.vault.svc:8200",
                            path: "tenants/team-a",
                            version: "v2",
                            auth: {
                                kubernetes: {
                                    mountPath: "kubernetes",
                                    role: "kubeconfig-writer-team-a",
                                    serviceAccountRef: { name: "vault-kubeconfig-writer", audiences: ["vault"] },
                                },
                            },
                        },
                    },
                },
            });
            expect(kubeconfigVaultPath("team-a")).to.equal("tenants/team-a/data/kubeconfig");
            expect(kubeconfigReadCommand("team-a")).to.equal("vault kv get -mount=tenants/team-a -field=config kubeconfig");
        });

        it("lets the writer create, read and update exactly that key's data and metadata, nothing else", () => {
            expect(kubeconfigWriterPolicyHcl("team-a")).to.equal([
                `# External Secrets in vcluster-team-a pushes the vCluster's kubeconfig here, and may do nothing else.`,
                `path "tenants/team-a/data/kubeconfig" {`,
                `  capabilities = ["create", "read", "update"]`,
                `}`,
                ``,
                `# External Secrets marks what it pushed (custom_metadata managed-by) and checks the mark before overwriting.`,
                `path "tenants/team-a/metadata/kubeconfig" {`,
                `  capabilities = ["create", "read", "update"]`,
                `}`,
                ``,
            ].join("\n"));
            const parsed = parseVaultPolicy(kubeconfigWriterPolicyHcl("team-a"));
            expect(parsed.unexpected).to.deep.equal([]);
            expect(parsed.paths.map((p) => [p.path, p.capabilities])).to.deep.equal([
                ["tenants/team-a/data/kubeconfig", ["create", "read", "update"]],
                ["tenants/team-a/metadata/kubeconfig", ["create", "read", "update"]],
            ]);
            expect(capabilitiesOn(kubeconfigWriterPolicyHcl("team-a"), "tenants/team-a/data/repos/ghcr")).to.deep.equal([]);
        });

        it("binds the writer role to one service account in vcluster-<t>, with an audience, and it passes vault-auth-role-bound", () => {
            const role = kubeconfigWriterRole("team-a", { backend: "kubernetes", audience: "vault" });
            expect(role).to.deep.equal({
                backend: "kubernetes",
                roleName: "kubeconfig-writer-team-a",
                boundServiceAccountNames: ["vault-kubeconfig-writer"],
                boundServiceAccountNamespaces: ["vcluster-team-a"],
                audience: "vault",
                tokenPolicies: ["kubeconfig-writer-team-a"],
                tokenTtl: 600,
                tokenMaxTtl: 600,
            });
            const resource = { type: "vault:kubernetes/authBackendRole:AuthBackendRole", name: "team-a-kubeconfig-writer-role", props: role };
            expect(vaultAuthRoleBound.check(resource, RULE_CONTEXT)).to.deep.equal([]);
            expect(kubeconfigWriterServiceAccount("team-a")).to.deep.equal({
                apiVersion: "v1",
                kind: "ServiceAccount",
                metadata: { name: "vault-kubeconfig-writer", namespace: "vcluster-team-a", labels: { "gitops-hub.io/tenant": "team-a" } },
                automountServiceAccountToken: false,
            });
        });

        it("names the writer policy outside the tenant- prefix, so tenant \"a-kubeconfig-writer\" cannot own tenant \"a\"'s writer", () => {
            expect(kubeconfigWriterPolicyName("a")).to.equal("kubeconfig-writer-a");
            expect(kubeconfigWriterPolicyName("a")).to.not.equal(tenantVaultPolicy("a-kubeconfig-writer"));
            expect(kubeconfigWriterPolicyName("a").startsWith(TENANT_VAULT_POLICY_PREFIX)).to.equal(false);
        });

        it("lets platform-admin destroy old kubeconfig versions of any tenant without reading one", () => {
            const admin = platformAdminKubeconfigRotationHcl();
            expect(parseVaultPolicy(admin).paths.map((p) => [p.path, p.capabilities])).to.deep.equal([
                ["tenants/+/metadata/kubeconfig", ["read"]],
                ["tenants/+/delete/kubeconfig", ["update"]],
                ["tenants/+/destroy/kubeconfig", ["update"]],
            ]);
            expect(capabilitiesOn(admin, "tenants/team-a/destroy/kubeconfig")).to.deep.equal(["update"]);
            expect(capabilitiesOn(admin, "tenants/team-a/data/kubeconfig")).to.deep.equal([]);
            expect(PLATFORM_ADMIN_POLICY).to.equal("platform-admin");
            expect(KUBECONFIG_ROTATION.split("\n")[0]).to.equal(`Only holders of the Vault policy "platform-admin" rotate a tenant's kubeconfig; tenants cannot (tenant-<t> reads, the writer only writes the current value).`);
        });
    });

    describe("what the Tenant component registers", () => {
        it("names every resource ${t}-<role>", () => {
            const plan = tenantAccessPlan(tenant("team-a", true) as TenantConfig, planArgs(GATEWAY))!;
            expect(Object.fromEntries(Object.entries(plan).filter(([k]) => k !== "vclusterValues").map(([k, v]) => [k, (v as { name: string }).name]))).to.deep.equal({
                route: "team-a-gateway-route",
                networkPolicy: "team-a-api-network-policy",
                writerServiceAccount: "team-a-kubeconfig-writer-sa",
                writerStore: "team-a-kubeconfig-writer-store",
                pushSecret: "team-a-kubeconfig-push",
                writerPolicy: "team-a-kubeconfig-writer-policy",
                writerRole: "team-a-kubeconfig-writer-role",
            });
            expect(plan.writerPolicy.inputs).to.deep.equal(kubeconfigWriterPolicy("team-a"));
        });
    });

    describe("upstream schemas", () => {
        const objects = (): KubernetesObject[] => [
            hubGateway({ tenants: ["team-a", "team-b"], domain: DOMAIN, gatewayClassName: "eg" })!,
            tenantTlsRoute("team-a", DOMAIN),
            tenantIngress("team-a", DOMAIN, "nginx"),
            vclusterApiNetworkPolicy("team-a", "ingress-nginx"),
            kubeconfigWriterServiceAccount("team-a"),
            kubeconfigWriterStore("team-a", { vaultAddress: "http://vault.vault.svc:8200", authPath: "kubernetes", audience: "vault" }),
            kubeconfigPushSecret("team-a", 60),
        ];

        it("accepts every object exposure builds", async () => {
            const results = await Promise.all(objects().map((o) => validateAgainstUpstream(recorded(o))));
            expect(results).to.deep.equal(objects().map(() => undefined));
        });

        it("fails when a PushSecret lacks its store (the validation is real)", async () => {
            const broken = kubeconfigPushSecret("team-a", 60);
            delete (broken.spec as Record<string, unknown>).secretStoreRefs;
            expect(await validateAgainstUpstream(recorded(broken))).to.be.a("string").that.includes("secretStoreRefs");
        });

        it("fails when a listener's TLS mode is not an upstream value", async () => {
            const gateway = hubGateway({ tenants: ["team-a"], domain: DOMAIN, gatewayClassName: "eg" })!;
            ((gateway.spec as { listeners: { tls: { mode: string } }[] }).listeners[0].tls.mode) = "passthrough";
            expect(await validateAgainstUpstream(recorded(gateway))).to.be.a("string").that.includes("tls/mode");
        });
    });

    describe("isolation between tenants (property)", () => {
        // DNS labels, plus names built to collide with another tenant's prefixes and derived names.
        const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?$/);
        const name = fc.oneof(
            label,
            fc.tuple(label, label).map(([a, b]) => `${a}-${b}`),
            label.map((a) => `${a}-kubeconfig-writer`),
        );
        const tenants = fc.uniqueArray(name, { minLength: 1, maxLength: 50 });

        it("no tenant's kubeconfig is readable by another tenant's read policy or writable by another tenant's writer", () => {
            fc.assert(fc.property(tenants, (names) => {
                for (const t of names) {
                    const data = kubeconfigVaultPath(t);
                    const metadata = kubeconfigVaultMetadataPath(t);
                    // The tenant itself reads it, and its writer (only) writes it.
                    expect(capabilitiesOn(widestTenantPolicy(t), data)).to.include("read");
                    expect(capabilitiesOn(kubeconfigWriterPolicyHcl(t), data)).to.deep.equal(["create", "read", "update"]);
                    // The PushSecret writes into exactly this path: its store's mount plus its remote key.
                    const push = kubeconfigPushSecret(t, 60).spec as { data: { match: { remoteRef: { remoteKey: string } } }[] };
                    const store = kubeconfigWriterStore(t, { vaultAddress: "x", authPath: "kubernetes", audience: "vault" }).spec as { provider: { vault: { path: string } } };
                    expect(`${store.provider.vault.path}/data/${push.data[0].match.remoteRef.remoteKey}`).to.equal(data);
                    for (const u of names) {
                        if (u === t) continue;
                        expect(capabilitiesOn(widestTenantPolicy(u), data), `tenant-${u} on ${data}`).to.deep.equal([]);
                        expect(capabilitiesOn(widestTenantPolicy(u), metadata), `tenant-${u} on ${metadata}`).to.deep.equal([]);
                        expect(capabilitiesOn(kubeconfigWriterPolicyHcl(u), data), `writer of ${u} on ${data}`).to.deep.equal([]);
                        expect(capabilitiesOn(kubeconfigWriterPolicyHcl(u), metadata), `writer of ${u} on ${metadata}`).to.deep.equal([]);
                        // Vault objects are keyed by name: no writer may share a name with any read policy or other writer.
                        expect(kubeconfigWriterPolicyName(u)).to.not.equal(tenantVaultPolicy(t));
                        expect(kubeconfigWriterPolicyName(u)).to.not.equal(kubeconfigWriterPolicyName(t));
                    }
                }
            }), { numRuns: 100 });
        });

        it("the widest read policy used above is one the policy pack accepts, so the property covers every accepted tenant policy", () => {
            fc.assert(fc.property(name, (t) => {
                const resource = { type: "vault:index/policy:Policy", name: `${t}-policy`, props: { name: tenantVaultPolicy(t), policy: widestTenantPolicy(t) } };
                expect(vaultTenantPolicyScoped.check(resource, RULE_CONTEXT)).to.deep.equal([]);
            }), { numRuns: 50 });
        });
    });
});
