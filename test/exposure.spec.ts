// Tenant access from outside the hub (components/tenant/exposure.ts): per tenant the route or
// Ingress, the SANs, the kubeconfig push into exactly that tenant's Vault key; nothing when
// exposure is off; every object against upstream schemas; and, over 1–50 tenants, that no
// tenant's kubeconfig is readable or writable through another tenant's policies.
import { expect } from "chai";
import * as fc from "fast-check";
import { HUB_GATEWAY_NAMESPACE, hubGateway } from "../components/hub/tenant-gateway";
import type { Manifest } from "../components/manifest";
import {
    accessResources, isExposed, kubeconfigPushSecret, kubeconfigReadCommand,
    kubeconfigWriterPolicy, kubeconfigWriterPolicyHcl, kubeconfigWriterStoreManifests, mergeVclusterValues, tenantIngress,
    tenantTlsRoute, vclusterApiNetworkPolicy, vclusterExposureValues,
} from "../components/tenant/exposure";
import type { ManifestContext } from "../components/tenant/manifests";
import { kubeconfigVaultMetadataPath, kubeconfigVaultPath, kubeconfigWriterPolicyName } from "../components/tenant/naming";
import type { TenantResource } from "../components/tenant/resources";
import { TENANT_VAULT_POLICY_PREFIX, tenantVaultPolicy } from "../policy-pack/catalog/core/conventions";
import { vaultAuthRoleBound } from "../policy-pack/catalog/platform/vault-auth-role-bound";
import { parseVaultPolicy } from "../policy-pack/catalog/platform/vault-hcl";
import { vaultTenantPolicyScoped } from "../policy-pack/catalog/platform/vault-tenant-policy-scoped";
import type { RuleContext } from "../policy-pack/catalog/core/types";
import { GATEWAY_EXPOSURE_DEFAULTS } from "../stacks/defaults";
import type { PlatformExposureConfig, TenantConfig } from "../stacks/schema";
import type { RecordedResource } from "../scripts/recorder";
import { validateAgainstUpstream } from "./kubernetes-schemas";
import { manifestContext } from "./tenant-fixtures";

const DOMAIN = "dev.gitops.example.com";
const GATEWAY: PlatformExposureConfig = { mode: "gateway", gatewayClassName: "eg", proxyNamespace: HUB_GATEWAY_NAMESPACE };
const INGRESS: PlatformExposureConfig = { mode: "ingress", ingressClassName: "nginx", proxyNamespace: "ingress-nginx" };
const NONE: PlatformExposureConfig = { mode: "none" };
const RULE_CONTEXT: RuleContext = { settings: {} as RuleContext["settings"], environment: "dev" };

type TenantEntry = Pick<TenantConfig, "name" | "state" | "exposure">;
const tenant = (name: string, enabled: boolean, state: TenantConfig["state"] = "active"): TenantEntry => ({ name, state, exposure: { enabled } });

/** The dev hub's context (in-cluster Vault, `kubernetes` auth, refresh 60 s) with an exposure mode. */
const ctxFor = (exposure: PlatformExposureConfig): ManifestContext => ({ ...manifestContext("dev"), domain: DOMAIN, exposure });
const CTX = ctxFor(GATEWAY);
/** The second kubeconfig team-a's vCluster writes, for outside the hub. */
const EXTERNAL_KUBECONFIG = { name: "vc-team-a-external", namespace: "vcluster-team-a", context: "team-a", server: "https://team-a.dev.gitops.example.com", insecure: false };
/** Labels of every object of tenant team-a on the dev hub. */
const LABELS = { "gitops-hub.io/tenant": "team-a", "gitops-hub.io/environment": "dev" };

/** The resources an exposed tenant adds under its Tenant component (named after the tenant), by logical name. */
function access(entry: TenantEntry, exposure: PlatformExposureConfig): Record<string, TenantResource> {
    return Object.fromEntries(accessResources(entry.name, entry as TenantConfig, ctxFor(exposure)).map((r) => [r.name, r]));
}
const manifestOf = (r: TenantResource): Manifest => (r.type === "kubernetes" ? r.manifest : expect.fail(`${r.name} is a ${r.type}`));

/** A recorded resource as the recording engine would hand it to validateAgainstUpstream. */
function recorded(object: Manifest): RecordedResource {
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
            const gateway = hubGateway({ domain: DOMAIN, gatewayClassName: "eg", tenants: ["team-b", "team-a"] });
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
            const resources = access(tenant("team-a", true), GATEWAY);
            expect(manifestOf(resources["team-a-gateway-route"])).to.deep.equal({
                apiVersion: "gateway.networking.k8s.io/v1alpha2",
                kind: "TLSRoute",
                metadata: { name: "vcluster-api", namespace: "vcluster-team-a", labels: LABELS },
                spec: {
                    parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "vcluster-api", namespace: "tenant-gateway", sectionName: "team-a" }],
                    hostnames: ["team-a.dev.gitops.example.com"],
                    rules: [{ backendRefs: [{ name: "team-a", port: 443 }] }],
                },
            });
            expect(manifestOf(resources["team-a-api-network-policy"]).spec).to.deep.equal({
                podSelector: { matchLabels: { app: "vcluster", release: "team-a" } },
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant-gateway" } } }],
                    ports: [{ protocol: "TCP", port: 8443 }],
                }],
            });
        });

        it("defaults the proxy namespace to the Gateway's namespace", () => {
            expect(GATEWAY_EXPOSURE_DEFAULTS.proxyNamespace).to.equal(HUB_GATEWAY_NAMESPACE);
        });
    });

    describe("ingress mode", () => {
        it("gives each exposed tenant an ssl-passthrough Ingress for <t>.<domain> to the vCluster Service on 443", () => {
            const resources = access(tenant("team-a", true), INGRESS);
            expect(manifestOf(resources["team-a-api-ingress"])).to.deep.equal({
                apiVersion: "networking.k8s.io/v1",
                kind: "Ingress",
                metadata: {
                    name: "vcluster-api",
                    namespace: "vcluster-team-a",
                    labels: LABELS,
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
            });
            expect(manifestOf(resources["team-a-api-network-policy"]).spec).to.have.nested.property("ingress[0].from[0].namespaceSelector.matchLabels")
                .that.deep.equals({ "kubernetes.io/metadata.name": "ingress-nginx" });
        });
    });

    describe("when exposure is off", () => {
        it("exposes no tenant that did not ask, no decommissioned tenant, and no tenant in mode none", () => {
            expect([
                isExposed(tenant("team-a", false), GATEWAY),
                isExposed(tenant("team-a", true, "decommissioned"), INGRESS),
                isExposed(tenant("team-a", true), NONE),
                isExposed(tenant("team-a", true), GATEWAY),
                isExposed(tenant("team-a", true), INGRESS),
            ]).to.deep.equal([false, false, false, true, true]);
        });
    });

    describe("the vCluster's values", () => {
        it("add <t>.<domain> to the serving certificate and export a kubeconfig for it into vc-<t>-external", () => {
            expect(vclusterExposureValues("team-a", DOMAIN)).to.deep.equal({
                controlPlane: { proxy: { extraSANs: ["team-a.dev.gitops.example.com"] } },
                exportKubeConfig: { additionalSecrets: [EXTERNAL_KUBECONFIG] },
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
                    additionalSecrets: [EXTERNAL_KUBECONFIG],
                },
            });
            // Merging twice changes nothing: no duplicate SAN or secret.
            const once = mergeVclusterValues(base, vclusterExposureValues("team-a", DOMAIN));
            expect(mergeVclusterValues(once, vclusterExposureValues("team-a", DOMAIN))).to.deep.equal(once);
        });
    });

    describe("kubeconfig delivery", () => {
        it("pushes key config of vc-<t>-external to tenants/<t>/data/kubeconfig, field config, through the tenant's writer store", () => {
            expect(kubeconfigPushSecret("team-a", CTX)).to.deep.equal({
                apiVersion: "external-secrets.io/v1alpha1",
                kind: "PushSecret",
                metadata: { name: "kubeconfig", namespace: "vcluster-team-a", labels: LABELS },
                spec: {
                    refreshInterval: "60s",
                    updatePolicy: "Replace",
                    deletionPolicy: "None",
                    secretStoreRefs: [{ kind: "SecretStore", name: "vault-kubeconfig-writer" }],
                    selector: { secret: { name: "vc-team-a-external" } },
                    data: [{ match: { secretKey: "config", remoteRef: { remoteKey: "kubeconfig", property: "config" } } }],
                },
            });
            expect(kubeconfigWriterStoreManifests(tenant("team-a", true) as TenantConfig, CTX).store).to.deep.equal({
                apiVersion: "external-secrets.io/v1",
                kind: "SecretStore",
                metadata: { name: "vault-kubeconfig-writer", namespace: "vcluster-team-a", labels: LABELS },
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
            const writerRole = access(tenant("team-a", true), GATEWAY)["team-a-kubeconfig-writer-role"];
            const role = writerRole.type === "vault-role" ? writerRole.args : expect.fail("not a Vault role");
            expect(writerRole.dependsOn).to.deep.equal(["team-a-kubeconfig-writer-policy"]);
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
            const resource = { type: "vault:kubernetes/authBackendRole:AuthBackendRole", name: "team-a-kubeconfig-writer-role", props: { ...role } };
            expect(vaultAuthRoleBound.check(resource, RULE_CONTEXT)).to.deep.equal([]);
            expect(kubeconfigWriterStoreManifests(tenant("team-a", true) as TenantConfig, CTX).serviceAccount).to.deep.equal({
                apiVersion: "v1",
                kind: "ServiceAccount",
                metadata: { name: "vault-kubeconfig-writer", namespace: "vcluster-team-a", labels: LABELS },
                automountServiceAccountToken: false,
            });
        });

        it("names the writer policy outside the tenant- prefix, so tenant \"a-kubeconfig-writer\" cannot own tenant \"a\"'s writer", () => {
            expect(kubeconfigWriterPolicyName("a")).to.equal("kubeconfig-writer-a");
            expect(kubeconfigWriterPolicyName("a")).to.not.equal(tenantVaultPolicy("a-kubeconfig-writer"));
            expect(kubeconfigWriterPolicyName("a").startsWith(TENANT_VAULT_POLICY_PREFIX)).to.equal(false);
        });
    });

    describe("what the Tenant component registers", () => {
        it("names every resource <component>-<role>, in creation order, each waiting for what it needs", () => {
            const resources = accessResources("team-a", tenant("team-a", true) as TenantConfig, CTX);
            expect(resources.map((r) => [r.type, r.name, r.dependsOn, r.afterHub ?? false])).to.deep.equal([
                ["kubernetes", "team-a-gateway-route", ["team-a-namespace", "team-a-vcluster"], false],
                ["kubernetes", "team-a-api-network-policy", ["team-a-namespace"], false],
                ["kubernetes", "team-a-kubeconfig-writer-sa", ["team-a-namespace"], false],
                ["vault-policy", "team-a-kubeconfig-writer-policy", [], false],
                ["vault-role", "team-a-kubeconfig-writer-role", ["team-a-kubeconfig-writer-policy"], true],
                ["kubernetes", "team-a-kubeconfig-writer-store", ["team-a-kubeconfig-writer-sa", "team-a-kubeconfig-writer-role"], true],
                ["kubernetes", "team-a-kubeconfig-push", ["team-a-kubeconfig-writer-store", "team-a-vcluster", "team-a-vault-mount"], true],
            ]);
            const policy = resources.find((r) => r.name === "team-a-kubeconfig-writer-policy")!;
            expect(policy.type === "vault-policy" && policy.args).to.deep.equal(kubeconfigWriterPolicy("team-a"));
        });
    });

    describe("upstream schemas", () => {
        const writer = () => kubeconfigWriterStoreManifests(tenant("team-a", true) as TenantConfig, CTX);
        const objects = (): Manifest[] => [
            hubGateway({ tenants: ["team-a", "team-b"], domain: DOMAIN, gatewayClassName: "eg" }),
            tenantTlsRoute("team-a", CTX),
            tenantIngress("team-a", ctxFor(INGRESS), INGRESS),
            vclusterApiNetworkPolicy("team-a", ctxFor(INGRESS), INGRESS),
            writer().serviceAccount,
            writer().store,
            kubeconfigPushSecret("team-a", CTX),
        ];

        it("accepts every object exposure builds", async () => {
            const results = await Promise.all(objects().map((o) => validateAgainstUpstream(recorded(o))));
            expect(results).to.deep.equal(objects().map(() => undefined));
        });

        it("fails when a PushSecret lacks its store (the validation is real)", async () => {
            const broken = kubeconfigPushSecret("team-a", CTX);
            delete (broken.spec as Record<string, unknown>).secretStoreRefs;
            expect(await validateAgainstUpstream(recorded(broken))).to.be.a("string").that.includes("secretStoreRefs");
        });

        it("fails when a listener's TLS mode is not an upstream value", async () => {
            const gateway = hubGateway({ tenants: ["team-a"], domain: DOMAIN, gatewayClassName: "eg" });
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
                    const push = kubeconfigPushSecret(t, CTX).spec as { data: { match: { remoteRef: { remoteKey: string } } }[] };
                    const store = kubeconfigWriterStoreManifests({ name: t } as TenantConfig, CTX).store.spec as { provider: { vault: { path: string } } };
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
