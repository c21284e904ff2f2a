// Helm values of a tenant's vCluster (loft-sh chart, CHARTS.vcluster). Pure, so tests and the
// loader reach it directly. Keys are those of the chart version pinned in components/versions.ts
// (0.28: the `k8s` distro, `controlPlane.distro.k8s.image.tag` carries the Kubernetes version;
// the old `controlPlane.distro.k8s.version` key is deprecated).
import type { TenantConfig } from "../../stacks/schema";
import { CHARTS } from "../versions";
import { tenantNames } from "./naming";

/**
 * Exact `ghcr.io/loft-sh/kubernetes` image tag per Kubernetes minor version the pinned chart
 * supports. A tenant's `vcluster.kubernetesVersion` must be one of these keys (the loader says
 * so); bump the tags together with CHARTS.vcluster.
 */
export const VCLUSTER_KUBERNETES_IMAGE_TAGS: Readonly<Record<string, string>> = {
    "1.32": "v1.32.1",
    "1.33": "v1.33.4",
};

/** The chart version these values are written for; a chart bump must revisit this file. */
export const VCLUSTER_VALUES_CHART_VERSION = "0.28.0";

// vCluster's non-root user; the chart's default runs the control plane as root.
const NON_ROOT_USER = 12345;

const restrictedContainer = {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    runAsUser: NON_ROOT_USER,
    runAsGroup: NON_ROOT_USER,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

const restrictedPod = {
    runAsNonRoot: true,
    runAsUser: NON_ROOT_USER,
    runAsGroup: NON_ROOT_USER,
    fsGroup: NON_ROOT_USER,
    seccompProfile: { type: "RuntimeDefault" },
};

/** Helm values of the tenant's vCluster. Throws for a Kubernetes version the chart lacks (the loader rejects it first). */
export function vclusterValues(tenant: TenantConfig): Record<string, unknown> {
    if (CHARTS.vcluster.version !== VCLUSTER_VALUES_CHART_VERSION) {
        throw new Error(`vcluster-values.ts is written for chart ${VCLUSTER_VALUES_CHART_VERSION}, but CHARTS.vcluster is ${CHARTS.vcluster.version}; review the values keys and VCLUSTER_KUBERNETES_IMAGE_TAGS`);
    }
    const names = tenantNames(tenant.name);
    const tag = VCLUSTER_KUBERNETES_IMAGE_TAGS[tenant.vcluster.kubernetesVersion];
    if (tag === undefined) {
        throw new Error(`tenant "${tenant.name}": vcluster.kubernetesVersion "${tenant.vcluster.kubernetesVersion}" is not supported by vCluster chart ${CHARTS.vcluster.version}; use one of ${Object.keys(VCLUSTER_KUBERNETES_IMAGE_TAGS).map((v) => `"${v}"`).join(", ")}`);
    }
    const { quota } = tenant.vcluster;
    return {
        controlPlane: {
            distro: {
                k8s: {
                    enabled: true,
                    image: { tag },
                    securityContext: restrictedContainer,
                },
            },
            proxy: {
                // The serving certificate otherwise covers `<t>`, `<t>.<ns>` and the ClusterIP only,
                // and Argo CD connects to `<t>.<ns>.svc`.
                extraSANs: names.extraSANs,
            },
            statefulSet: {
                security: {
                    podSecurityContext: restrictedPod,
                    containerSecurityContext: restrictedContainer,
                },
            },
            coredns: {
                security: {
                    podSecurityContext: restrictedPod,
                    containerSecurityContext: restrictedContainer,
                },
            },
            // Tenants reach their vCluster through Argo CD only; nothing is exposed outside the hub.
            service: { spec: { type: "ClusterIP" } },
            ingress: { enabled: false },
        },
        // Quotas in the chart are off unless enabled (and the policy pack requires `true`).
        policies: {
            resourceQuota: {
                enabled: true,
                quota: {
                    "requests.cpu": quota.cpu,
                    "limits.cpu": quota.cpu,
                    "requests.memory": quota.memory,
                    "limits.memory": quota.memory,
                    "requests.storage": `${quota.storageGiB}Gi`,
                    "count/pods": quota.pods,
                    // No NodePorts or LoadBalancers: a tenant Service never opens the hub to the outside.
                    "services.nodeports": 0,
                    "services.loadbalancers": 0,
                },
            },
            limitRange: { enabled: true },
            // The platform writes the namespace's NetworkPolicies itself (manifests.ts).
            networkPolicy: { enabled: false },
        },
        // The kubeconfig secret `vc-<t>` then carries the address Argo CD uses, which the
        // serving certificate covers through extraSANs.
        exportKubeConfig: {
            context: names.tenant,
            server: names.server,
            insecure: false,
        },
    };
}
