// One tenant team on the hub: its vCluster, its registration in Argo CD, its AppProject and
// Applications, and its Vault space; with exposure, its way in from outside the hub. What the
// tenant gets, in which state and in which order, is decided in resources.ts (pure, from config);
// this class registers that list under itself.
//
// Offboarding (state: decommissioned) deletes every grant (Argo CD registration, AppProject,
// Applications, Vault policies, roles and stores) and keeps the namespace, NetworkPolicies,
// vCluster and Vault mount, so data can be exported or the tenant re-activated. Removing the
// entry afterwards deletes the rest; in prod those are protected and retained on delete. A
// rename is a new tenant (every name derives from it): onboard the new name, move the
// workloads, then decommission the old one (README, "Offboarding a team").
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as vault from "@pulumi/vault";
import type { TenantConfig } from "../../stacks/schema";
import { registerManifest } from "../manifest";
import type { ManifestContext } from "./manifests";
import { TenantResource, tenantResources } from "./resources";
import { tenantNames } from "./naming";

/** What tenants need from the hub: the plain settings their resources are built from, and hub resources to wait for. */
export interface HubContext extends ManifestContext {
    /** Protect (and retain on delete) the tenant's namespace, vCluster and Vault mount. */
    protect: boolean;
    /** Hub resources whose CRDs and controllers the tenant's custom resources need. */
    dependsOn: pulumi.Resource[];
}

export interface TenantArgs {
    /** The tenant's validated config entry. */
    readonly tenant: TenantConfig;
    readonly hub: HubContext;
}

export class Tenant extends pulumi.ComponentResource {
    /** The tenant's name. */
    readonly tenantName: string;
    /** Name of the tenant's SecretStore in `vcluster-<t>`; empty when decommissioned (no store exists). */
    readonly secretStoreName: string;

    constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:tenant:Tenant", name, {}, opts);
        const { tenant, hub } = args;
        const created = new Map<string, pulumi.Resource>();
        for (const resource of tenantResources(name, tenant, hub)) {
            const dependsOn = [...(resource.afterHub ? hub.dependsOn : []), ...resource.dependsOn.map((n) => created.get(n)!)];
            const stateful = resource.stateful ? { protect: hub.protect, retainOnDelete: hub.protect } : {};
            created.set(resource.name, this.register(resource, { parent: this, ...(dependsOn.length > 0 ? { dependsOn } : {}), ...stateful }));
        }
        this.tenantName = tenant.name;
        this.secretStoreName = tenant.state === "active" ? tenantNames(tenant.name).tenantStore : "";
        this.registerOutputs({ tenantName: this.tenantName, secretStoreName: this.secretStoreName });
    }

    private register(resource: TenantResource, opts: pulumi.CustomResourceOptions): pulumi.Resource {
        switch (resource.type) {
            case "kubernetes":
                return registerManifest(resource.name, resource.manifest, {
                    ...opts,
                    ...(resource.ignoreChanges ? { ignoreChanges: resource.ignoreChanges } : {}),
                    ...(resource.aliases ? { aliases: resource.aliases.map((alias) => ({ name: alias })) } : {}),
                });
            case "chart":
                return new k8s.helm.v4.Chart(resource.name, resource.args, opts);
            case "vault-mount":
                return new vault.Mount(resource.name, resource.args, opts);
            case "vault-policy":
                return new vault.Policy(resource.name, resource.args, opts);
            case "vault-role":
                return new vault.kubernetes.AuthBackendRole(resource.name, resource.args, opts);
        }
    }
}
