// The shared Gateway through which exposed tenants reach their vCluster APIs from outside the
// hub (platform.exposure.mode: gateway). One TLS-passthrough listener per exposed tenant; the
// TLSRoutes live in each tenant's namespace (components/tenant). The Gateway API CRDs
// (TLSRoute is in the experimental channel) and a controller for the GatewayClass are
// prerequisites of the cluster, not installed here.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../stacks/schema";
import { HUB_GATEWAY_NAMESPACE, KubernetesObject } from "../tenant/exposure";
import { platformNamespaceArgs } from "./shared";

export interface TenantGatewayArgs {
    readonly environment: Environment;
    /** The Gateway object (from `hubGatewayFor`), with one listener per exposed tenant. */
    readonly gateway: KubernetesObject;
}

export class TenantGateway extends pulumi.ComponentResource {
    /** Namespace of the Gateway (and of the controller's proxy pods for in-namespace controllers). */
    static readonly namespace = HUB_GATEWAY_NAMESPACE;

    constructor(name: string, args: TenantGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:TenantGateway", name, {}, opts);
        // Proxies only forward TLS bytes; nothing here needs more than `restricted`.
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`,
            platformNamespaceArgs(HUB_GATEWAY_NAMESPACE, args.environment, "restricted"), { parent: this });
        new k8s.apiextensions.CustomResource(`${name}-gateway`,
            args.gateway as unknown as k8s.apiextensions.CustomResourceArgs, { parent: this, dependsOn: [namespace] });
        this.registerOutputs({});
    }
}
