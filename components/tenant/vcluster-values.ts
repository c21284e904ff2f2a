// Helm values of a tenant's vCluster (loft-sh chart, CHARTS.vcluster). Pure, so tests and the
// loader reach it directly. Keys are those of the chart version pinned in components/versions.ts
// (0.28: the `k8s` distro, `controlPlane.distro.k8s.image.tag` carries the Kubernetes version;
// the old `controlPlane.distro.k8s.version` key is deprecated).
import { VCLUSTER_KUBERNETES_IMAGE_TAGS } from "../../stacks/contract";
import type { TenantConfig, TenantNodesConfig } from "../../stacks/schema";
import { CHARTS } from "../versions";
import { tenantNames } from "./naming";


/** The chart version these values are written for; a chart bump must revisit this file. */
export const VCLUSTER_VALUES_CHART_VERSION = "0.28.0";

// vCluster's non-root user; the chart's default runs the control plane as root.
const NON_ROOT_USER = 12345;

// Read-only root: the chart gives the syncer writable emptyDirs for everything it writes (/tmp,
// /pki, /binaries, /.cache/helm) and its data volume at /data; the k8s init container only
// copies into /binaries.
const restrictedContainer = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
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

/**
 * What a tenant may hold per pod of `quota.pods`, for what its config does not size, so it grows
 * with the tenant instead of capping a 200-pod tenant at 20 Services: object counts as the
 * vCluster chart's own defaults (sized for 20 pods) divided by 20; ephemeral storage for two
 * containers at the LimitRange defaults (CONTAINER_DEFAULTS).
 */
export const PER_POD_ALLOWANCE = {
    "count/services": 1,
    "count/endpoints": 2,
    "count/secrets": 5,
    "count/configmaps": 5,
    "count/persistentvolumeclaims": 1,
    /** GiB of ephemeral storage requested, and at most used (limits), per pod. */
    ephemeralStorageRequestGiB: 2,
    ephemeralStorageLimitGiB: 8,
} as const;

/**
 * Requests and limits the namespace's LimitRange gives a container that sets none (every quota'd
 * resource needs one, or the pod is rejected). CPU and memory as vCluster's defaults; ephemeral
 * storage smaller than its 3Gi/8Gi, so two such containers fit a pod's allowance above.
 */
export const CONTAINER_DEFAULTS = {
    request: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" },
    limit: { cpu: "1", memory: "512Mi", "ephemeral-storage": "4Gi" },
} as const;

/**
 * The tenant's ResourceQuota. The chart merges this map into its own default quota key by key,
 * so it sets every key of that default: what the config sizes comes from the config, the rest
 * from PER_POD_ALLOWANCE, and NodePorts and LoadBalancers are closed.
 */
export function vclusterQuota(quota: TenantConfig["vcluster"]["quota"]): Record<string, string | number> {
    const { pods } = quota;
    return {
        "requests.cpu": quota.cpu,
        "limits.cpu": quota.cpu,
        "requests.memory": quota.memory,
        "limits.memory": quota.memory,
        "requests.storage": `${quota.storageGiB}Gi`,
        "requests.ephemeral-storage": `${pods * PER_POD_ALLOWANCE.ephemeralStorageRequestGiB}Gi`,
        "limits.ephemeral-storage": `${pods * PER_POD_ALLOWANCE.ephemeralStorageLimitGiB}Gi`,
        "count/pods": pods,
        "count/services": pods * PER_POD_ALLOWANCE["count/services"],
        "count/endpoints": pods * PER_POD_ALLOWANCE["count/endpoints"],
        "count/secrets": pods * PER_POD_ALLOWANCE["count/secrets"],
        "count/configmaps": pods * PER_POD_ALLOWANCE["count/configmaps"],
        "count/persistentvolumeclaims": pods * PER_POD_ALLOWANCE["count/persistentvolumeclaims"],
        // No NodePorts or LoadBalancers: a tenant Service never opens the hub to the outside.
        "services.nodeports": 0,
        "services.loadbalancers": 0,
    };
}

/** The taint of the tenant nodes as vCluster's `sync.toHost.pods.enforceTolerations` writes a toleration: `key[=value]:Effect`. */
export function enforcedToleration(taint: NonNullable<TenantNodesConfig["taint"]>): string {
    return `${taint.key}${taint.value !== undefined ? `=${taint.value}` : ""}:${taint.effect}`;
}

/** The same toleration as a pod spec carries it (the vCluster control plane's own pods). */
export function podToleration(taint: NonNullable<TenantNodesConfig["taint"]>): Record<string, string> {
    return taint.value !== undefined
        ? { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect }
        : { key: taint.key, operator: "Exists", effect: taint.effect };
}

/**
 * Where the tenant's pods run on the hub (chart 0.28 and its syncer): every pod the vCluster
 * syncs gets `sync.fromHost.nodes.selector.labels` as its nodeSelector, written after the
 * tenant's own (so a tenant's value for the same key is overwritten), and the tolerations of
 * `sync.toHost.pods.enforceTolerations`; the control plane's StatefulSet gets the same through
 * `controlPlane.statefulSet.scheduling`. The hub's Kyverno policy (components/hub/tenant-placement.ts)
 * enforces the selector again on every pod in a tenant namespace. Empty without `tenantNodes`.
 */
export function nodePlacementValues(tenantNodes: TenantNodesConfig | undefined): { sync?: Record<string, unknown>; scheduling?: Record<string, unknown> } {
    if (tenantNodes === undefined) return {};
    const { nodeSelector, taint } = tenantNodes;
    return {
        sync: {
            toHost: { pods: { enforceTolerations: taint ? [enforcedToleration(taint)] : [] } },
            fromHost: { nodes: { selector: { labels: { ...nodeSelector } } } },
        },
        scheduling: { nodeSelector: { ...nodeSelector }, tolerations: taint ? [podToleration(taint)] : [] },
    };
}

/** The chart's `policies`: quota, LimitRange and pod security, as the tenant's config says. */
function policyValues(tenant: TenantConfig): Record<string, unknown> {
    // Quotas in the chart are off unless enabled (and the policy pack requires `true`).
    return {
        resourceQuota: { enabled: true, quota: vclusterQuota(tenant.vcluster.quota) },
        // Merged into the chart's defaults key by key too: every key of them is set here.
        limitRange: {
            enabled: true,
            default: { ...CONTAINER_DEFAULTS.limit },
            defaultRequest: { ...CONTAINER_DEFAULTS.request },
        },
        // The platform writes the namespace's NetworkPolicies itself (manifests.ts).
        networkPolicy: { enabled: false },
        // The vCluster checks every pod against this level before it syncs it to the hub.
        podSecurityStandard: tenant.vcluster.podSecurityStandard,
    };
}

/** Helm values of the tenant's vCluster (the loader admits only Kubernetes versions the chart offers). */
export function vclusterValues(tenant: TenantConfig, tenantNodes?: TenantNodesConfig): Record<string, unknown> {
    if (CHARTS.vcluster.version !== VCLUSTER_VALUES_CHART_VERSION) {
        throw new Error(`vcluster-values.ts is written for chart ${VCLUSTER_VALUES_CHART_VERSION}, but CHARTS.vcluster is ${CHARTS.vcluster.version}; review the values keys and VCLUSTER_KUBERNETES_IMAGE_TAGS`);
    }
    const names = tenantNames(tenant.name);
    const tag = VCLUSTER_KUBERNETES_IMAGE_TAGS[tenant.vcluster.kubernetesVersion];
    const placement = nodePlacementValues(tenantNodes);
    return {
        ...(placement.sync ? { sync: placement.sync } : {}),
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
                // The chart renders this field even when empty; Kubernetes' own default, stated.
                imagePullPolicy: "IfNotPresent",
                security: {
                    podSecurityContext: restrictedPod,
                    containerSecurityContext: restrictedContainer,
                },
                ...(placement.scheduling ? { scheduling: placement.scheduling } : {}),
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
        policies: policyValues(tenant),
        // The kubeconfig secret `vc-<t>` then carries the address Argo CD uses, which the
        // serving certificate covers through extraSANs.
        exportKubeConfig: {
            context: names.tenant,
            server: names.server,
            insecure: false,
        },
    };
}
