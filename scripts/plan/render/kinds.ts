// Facts about Kubernetes kinds the renderer needs without a cluster: which API groups are built
// in, which built-in kinds are cluster-scoped, and the Pulumi type token of an object.

/** Built-in API groups (served by kube-apiserver itself): their kinds' scope is known without a cluster. */
const BUILT_IN_GROUPS = new Set([
    "", "apps", "batch", "policy", "autoscaling", "extensions",
    "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
    "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
    "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io",
    "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io",
]);

/** Cluster-scoped built-in kinds (everything else in a built-in group is namespaced). */
const CLUSTER_SCOPED = new Set([
    "Namespace", "Node", "PersistentVolume", "ComponentStatus",
    "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "APIService",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
    "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass",
    "PriorityClass", "RuntimeClass", "IngressClass", "IPAddress", "ServiceCIDR",
    "CertificateSigningRequest", "ClusterTrustBundle",
    "FlowSchema", "PriorityLevelConfiguration",
    "DeviceClass", "ResourceSlice", "StorageVersionMigration", "PodSecurityPolicy",
    "TokenReview", "SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SelfSubjectReview",
]);

export function groupOf(apiVersion: string): string {
    return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
}

export function isBuiltInGroup(group: string): boolean {
    return BUILT_IN_GROUPS.has(group);
}

/** Scopes of custom kinds, from CRDs: `group/Kind` → namespaced? */
export type CrdScopes = Map<string, boolean>;

/** Whether a kind is namespaced; undefined when neither built in nor defined by a known CRD. */
export function isNamespaced(apiVersion: string, kind: string, crdScopes: CrdScopes): boolean | undefined {
    const group = groupOf(apiVersion);
    if (isBuiltInGroup(group)) return !CLUSTER_SCOPED.has(kind);
    return crdScopes.get(`${group}/${kind}`);
}

/** Pulumi type token of an object: `kubernetes:core/v1:Secret`, `kubernetes:apps/v1:Deployment`, `kubernetes:argoproj.io/v1alpha1:AppProject`. */
export function typeOfObject(apiVersion: string, kind: string): string {
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}
