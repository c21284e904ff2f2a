// The shared Gateway through which exposed tenants reach their vCluster APIs from outside the
// hub (platform.exposure.mode: gateway). One TLS-passthrough listener per exposed tenant; the
// TLSRoutes live in each tenant's namespace (components/tenant/exposure.ts). The Gateway API CRDs
// (TLSRoute is in the experimental channel) and a controller for the GatewayClass are
// prerequisites of the cluster, not installed here.
import * as pulumi from "@pulumi/pulumi";
import { tenantNamespace } from "../../policy-pack/catalog/core/conventions";
import type { Environment } from "../../stacks/schema";
import { Manifest, registerManifest } from "../manifest";
import { VCLUSTER_SERVICE_PORT, tenantApiHost } from "../tenant/naming";
import { platformNamespace } from "./shared";

/** Hub namespace holding the shared Gateway (and, for most controllers, its data plane). */
export const HUB_GATEWAY_NAMESPACE = "tenant-gateway";
/** The shared Gateway every exposed tenant's TLSRoute attaches to. */
export const HUB_GATEWAY_NAME = "vcluster-api";

export interface TenantGatewayArgs {
    readonly environment: Environment;
    /** DNS zone of the platform; tenant `t` is served at `<t>.<domain>`. */
    readonly domain: string;
    /** GatewayClass of the hub's Gateway controller (one that supports TLSRoute). */
    readonly gatewayClassName: string;
    /** The exposed tenants of this stack; at least one (a Gateway needs a listener). */
    readonly tenants: readonly string[];
}

/**
 * The shared Gateway: one TLS-passthrough listener per exposed tenant, each named after the
 * tenant, matching exactly `<t>.<domain>`, and accepting TLSRoutes from `vcluster-<t>` only.
 *
 * Per-tenant listeners rather than one `*.<domain>` listener: the Gateway itself then binds each
 * host name to its tenant's namespace, so a route in another namespace that claims
 * `<t>.<domain>` is never attached (with a wildcard listener, any namespace the listener admits
 * could take any tenant's host name, and the binding would rest on convention). The cost is one
 * listener per tenant (at most 64 per Gateway, which the loader checks) and a Gateway update on
 * each onboarding. No ReferenceGrant is needed: a route attaches to a Gateway in another
 * namespace through the listener's `allowedRoutes`, and each route's backend is in its own
 * namespace.
 */
export function hubGateway(args: Pick<TenantGatewayArgs, "domain" | "gatewayClassName" | "tenants">): Manifest {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: HUB_GATEWAY_NAME, namespace: HUB_GATEWAY_NAMESPACE },
        spec: {
            gatewayClassName: args.gatewayClassName,
            listeners: [...args.tenants].sort().map((tenant) => ({
                name: tenant,
                hostname: tenantApiHost(tenant, args.domain),
                port: VCLUSTER_SERVICE_PORT,
                protocol: "TLS",
                tls: { mode: "Passthrough" },
                allowedRoutes: {
                    namespaces: {
                        from: "Selector",
                        selector: { matchLabels: { "kubernetes.io/metadata.name": tenantNamespace(tenant) } },
                    },
                    kinds: [{ group: "gateway.networking.k8s.io", kind: "TLSRoute" }],
                },
            })),
        },
    };
}

export class TenantGateway extends pulumi.ComponentResource {
    /** Namespace of the Gateway (and of the controller's proxy pods for in-namespace controllers). */
    static readonly namespace = HUB_GATEWAY_NAMESPACE;

    constructor(name: string, args: TenantGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:TenantGateway", name, {}, opts);
        // Proxies only forward TLS bytes; nothing here needs more than `restricted`.
        const namespace = platformNamespace(this, name, HUB_GATEWAY_NAMESPACE, args.environment);
        registerManifest(`${name}-gateway`, hubGateway(args), { parent: this, dependsOn: [namespace] });
        this.registerOutputs({});
    }
}
