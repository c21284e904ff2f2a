// Building blocks the runtime rules share for their Kyverno `spec.rules`.

/**
 * Kyverno precondition: the pod is not a Windows pod (`spec.os.name: windows`), which the
 * restricted profile exempts from its privilege-escalation, capabilities and seccomp checks
 * (Kubernetes 1.25+). Auto-gen rewrites `request.object.spec` to each controller's pod template.
 */
export function notWindows(): Record<string, unknown> {
    return { key: "{{ request.object.spec.os.name || '' }}", operator: "NotEquals", value: "windows" };
}

/** A pod in a user namespace (`spec.hostUsers: false`), for which PSS 1.35+ relaxes procMount and runAsUser; as a Kyverno pattern. */
export const USER_NAMESPACE_POD = { spec: { hostUsers: false } } as const;

/** Kyverno `match` for Pods; Kyverno's auto-gen extends such rules to every pod controller. */
export function matchPods(): Record<string, unknown> {
    return { any: [{ resources: { kinds: ["Pod"] } }] };
}

/**
 * Kyverno precondition that skips DELETE requests, for `deny` and `foreach` rules (a pattern
 * needs none). `request.operation` is empty in background scans, hence the default.
 */
export function notDeleting(): Record<string, unknown> {
    return { all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: "NotEquals", value: "DELETE" }] };
}

/** JMESPath over all three container lists of a Pod, for `foreach` and `deny`. */
export const ALL_CONTAINERS = "request.object.spec.[ephemeralContainers, initContainers, containers][]";
