// The host-side guard of tenant node placement (platform.tenantNodes): a Kyverno ClusterPolicy
// on the hub that sets the tenant nodes' selector on every pod created in a tenant namespace and
// refuses a pod without it. The vCluster already writes the selector onto each pod it syncs
// (vcluster-values.ts, nodePlacementValues); this guard holds even if a vCluster's values or its
// syncer do not, and a tenant cannot reach it: tenants have no access to the hub's API, and every
// pod in `vcluster-<t>` is created by the vCluster's syncer or its StatefulSet.
//
// Why Kyverno and not the namespace annotation `scheduler.alpha.kubernetes.io/node-selector`:
// that annotation is read by the PodNodeSelector admission plugin, which is not among the API
// server's default plugins (kind, EKS, GKE and AKS leave it off), so on a standard cluster it
// would silently do nothing. Kyverno is part of this platform, and its webhook fails closed.
// A pod that names a node directly (spec.nodeName) still carries the selector, and the kubelet
// refuses to run a pod whose selector its node does not match.
import * as pulumi from "@pulumi/pulumi";
import { TENANT_LABEL } from "../../policy-pack/catalog/core/conventions";
import type { Environment, TenantNodesConfig } from "../../stacks/schema";
import { Manifest, registerManifest } from "../manifest";
import { inheritedDependsOn } from "./shared";

/** Name of the ClusterPolicy. */
export const TENANT_PLACEMENT_POLICY = "tenant-node-placement";

/** Every namespace the platform creates for a tenant carries the tenant label (manifests.ts). */
const tenantNamespaces = { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] };

/** The ClusterPolicy as a plain manifest. */
export function tenantPlacementPolicy(tenantNodes: TenantNodesConfig, environment: Environment): Manifest {
    const match = { any: [{ resources: { kinds: ["Pod"], operations: ["CREATE"], namespaceSelector: tenantNamespaces } }] };
    const selector = Object.entries(tenantNodes.nodeSelector).map(([key, value]) => `${key}=${value}`).join(", ");
    return {
        apiVersion: "kyverno.io/v1",
        kind: "ClusterPolicy",
        metadata: {
            name: TENANT_PLACEMENT_POLICY,
            labels: { "gitops-hub.io/environment": environment },
            annotations: {
                // Pods only: the syncer creates bare Pods, and pod controllers' templates are not the guard's business.
                "pod-policies.kyverno.io/autogen-controllers": "none",
                "policies.kyverno.io/title": "Tenant pods run on tenant nodes",
                "policies.kyverno.io/description": `Every pod in a tenant namespace gets the node selector ${selector}, and a pod without it is refused, so no tenant workload runs next to the platform.`,
            },
        },
        spec: {
            // Admission only: pods are never changed after they exist, so there is nothing to scan.
            background: false,
            rules: [
                {
                    name: "set-tenant-node-selector",
                    match,
                    mutate: { patchStrategicMerge: { spec: { nodeSelector: { ...tenantNodes.nodeSelector } } } },
                },
                {
                    name: "require-tenant-node-selector",
                    match,
                    validate: {
                        // An isolation guard, not a compliance finding: enforced in every environment.
                        failureAction: "Enforce",
                        message: `Pods in tenant namespaces must run on the tenant nodes (nodeSelector ${selector}).`,
                        pattern: { spec: { nodeSelector: { ...tenantNodes.nodeSelector } } },
                    },
                },
            ],
        },
    };
}

export interface TenantPlacementArgs {
    readonly environment: Environment;
    readonly tenantNodes: TenantNodesConfig;
}

/** The guard, on the hub; it needs Kyverno's CRDs and webhook (pass the Kyverno component in `dependsOn`). */
export class TenantPlacement extends pulumi.ComponentResource {
    constructor(name: string, args: TenantPlacementArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:TenantPlacement", name, {}, opts);
        // The ClusterPolicy CRD comes with Kyverno's chart, which the caller's dependsOn brings.
        registerManifest(`${name}-policy`, tenantPlacementPolicy(args.tenantNodes, args.environment), { parent: this, dependsOn: inheritedDependsOn(opts) });
        this.registerOutputs({});
    }
}
