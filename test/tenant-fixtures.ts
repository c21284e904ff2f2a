// Shared by the tenant specs: run tenants through the real program, and look at what one Tenant
// component registered.
//
// The whole program (index.ts, via runStack) runs once the hub components exist. Until then the
// Tenant component runs under the same recorder inside a small program that stands in for the
// hub: two placeholder components for `hub.dependsOn` and the Vault provider, with the hub's
// constants (argocd namespace, `kubernetes` auth path, in-cluster Vault address).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RecordedResource, RunResult, runProgram } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { parseStackConfig } from "../stacks/loader";
import type { TenantConfig } from "../stacks/schema";
import { hubContext } from "../components/platform";
import type { Manifest } from "../components/manifest";
import type { ManifestContext } from "../components/tenant/manifests";
import { tenantResources } from "../components/tenant/resources";
import { runStack } from "./helpers";

const ROOT = path.resolve(__dirname, "..");
export const TENANT_TYPE = "gitops-hub:tenant:Tenant";
export const ARGOCD_NAMESPACE = "argocd";
export const VAULT_AUTH_PATH = "kubernetes";

/** True once the hub's components exist, so index.ts runs whole. */
export function hubAvailable(): boolean {
    return ["argocd", "cert-manager", "external-secrets", "kyverno", "vault-config", "vault-server"]
        .every((file) => fs.existsSync(path.join(ROOT, "components", "hub", `${file}.ts`)));
}

/** The manifest context the program builds for a committed stack (platform.ts's own hubContext). */
export function manifestContext(env: "dev" | "prod"): ManifestContext {
    const { platform } = parseStackConfig({ values: { platform: readStackFile(env).config.platform }, secretsSet: new Set() });
    return hubContext(platform, []);
}

/** Every Kubernetes object (not the vCluster chart's) a Tenant component registers, in its order (resources.ts). */
export function tenantObjects(tenant: TenantConfig, ctx: ManifestContext): Manifest[] {
    return tenantResources(tenant.name, tenant, ctx).flatMap((r) => (r.type === "kubernetes" ? [r.manifest] : []));
}

/** Validated tenant entries, as the loader makes them (defaults of the environment applied). */
export function loadTenants(env: "dev" | "prod", tenants: unknown[]): TenantConfig[] {
    return parseStackConfig({ values: { platform: platformOf(env), tenants }, secretsSet: new Set() }).tenants;
}

const platforms = new Map<string, unknown>();
function platformOf(env: "dev" | "prod"): unknown {
    if (!platforms.has(env)) platforms.set(env, readStackFile(env).config.platform);
    return platforms.get(env);
}

let programCount = 0;

/** Runs a committed stack's platform with these tenants and records every registration. */
export async function runTenants(env: "dev" | "prod", tenants: unknown[]): Promise<RunResult> {
    if (hubAvailable()) return runStack(env, { tenants });
    const platform = readStackFile(env).config.platform;
    // A fresh file per run: the recorder reloads project modules, not programs outside the project.
    const file = path.join(os.tmpdir(), `gitops-hub-tenant-program-${process.pid}-${programCount++}.js`);
    fs.writeFileSync(file, standInProgram(env, platform, tenants));
    try {
        return await runProgram({ stack: env, config: { platform, tenants }, program: file });
    } finally {
        fs.rmSync(file, { force: true });
    }
}

function standInProgram(env: "dev" | "prod", platform: unknown, tenants: unknown[]): string {
    const at = (p: string) => JSON.stringify(path.join(ROOT, p));
    return `
const pulumi = require(${at("node_modules/@pulumi/pulumi")});
const vault = require(${at("node_modules/@pulumi/vault")});
const { parseStackConfig } = require(${at("stacks/loader")});
const { Tenant } = require(${at("components/tenant/tenant")});
const config = parseStackConfig({ values: { platform: ${JSON.stringify(platform)}, tenants: ${JSON.stringify(tenants)} }, secretsSet: new Set() });
class HubStandIn extends pulumi.ComponentResource {
    constructor(name) { super("gitops-hub:test:HubStandIn", name, {}, {}); this.registerOutputs({}); }
}
const argocd = new HubStandIn("argocd");
const externalSecrets = new HubStandIn("external-secrets");
const vaultProvider = new vault.Provider("vault", { address: config.platform.vault.address, skipChildToken: true });
const context = {
    environment: config.platform.environment,
    domain: config.platform.domain,
    argocdNamespace: ${JSON.stringify(ARGOCD_NAMESPACE)},
    vaultAddress: config.platform.vault.inClusterAddress,
    vaultAuthPath: ${JSON.stringify(VAULT_AUTH_PATH)},
    audience: config.platform.vault.audience,
    refreshIntervalSeconds: config.platform.externalSecrets.refreshIntervalSeconds,
    protect: config.platform.protectStatefulResources,
    dependsOn: [argocd, externalSecrets],
};
const tenants = config.tenants.map((tenant) => new Tenant(tenant.name, { tenant, hub: context }, { providers: { vault: vaultProvider } }));
exports.tenantNames = tenants.map((t) => t.tenantName);
exports.tenantStores = Object.fromEntries(tenants.map((t) => [t.tenantName, t.secretStoreName]));
`;
}

/** The Tenant component registered for tenant `name`. */
export function tenantComponent(result: RunResult, name: string): RecordedResource {
    const found = result.resources.filter((r) => r.type === TENANT_TYPE && r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${TENANT_TYPE} ${name}, found ${found.length}`);
    return found[0];
}

/** Everything registered with the tenant's component as parent (its direct children). */
export function childrenOf(result: RunResult, name: string): RecordedResource[] {
    const component = tenantComponent(result, name);
    return result.resources.filter((r) => r.parent === component.urn);
}

/** The Kubernetes object a recorded resource creates, as plain data (metadata, spec, …). */
export function objectOf(resource: RecordedResource): Record<string, any> {
    return resource.inputs as Record<string, any>;
}

/** `type name` of each resource, sorted. */
export function typeNames(resources: RecordedResource[]): string[] {
    return resources.map((r) => `${r.type} ${r.name}`).sort();
}
