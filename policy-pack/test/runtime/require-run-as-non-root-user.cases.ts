import { requireRunAsNonRootUser } from "../../catalog/runtime/require-run-as-non-root-user";
import { everyContainer, workloadCases } from "./fixtures";

const root = (who: string) => `${who} sets securityContext.runAsUser to 0; it must be unset or greater than 0.`;

export const cases = workloadCases(requireRunAsNonRootUser, (c) => {
    c.compliant();
    c.pod(
        "passes runAsUser greater than zero on the pod and on every container",
        (pod) => {
            pod.securityContext.runAsUser = 10001;
            everyContainer(pod, (container) => (container.securityContext.runAsUser = 65532));
        },
        [],
    );
    c.everyKind(
        "fails when the pod sets runAsUser: 0",
        (pod) => (pod.securityContext.runAsUser = 0),
        (p) => [{ path: `${p}.securityContext.runAsUser`, message: root("The pod") }],
    );
    c.pod(
        "fails when a container, an init container and an ephemeral container set runAsUser: 0",
        (pod) => {
            pod.containers[1].securityContext.runAsUser = 0;
            pod.initContainers[0].securityContext.runAsUser = 0;
            pod.ephemeralContainers[0].securityContext.runAsUser = 0;
        },
        [
            { path: "spec.containers[1].securityContext.runAsUser", message: root('container "metrics"') },
            { path: "spec.initContainers[0].securityContext.runAsUser", message: root('init container "migrate"') },
            { path: "spec.ephemeralContainers[0].securityContext.runAsUser", message: root('ephemeral container "debug"') },
        ],
    );
    // Kubernetes 1.35+: in a user namespace UID 0 is not the node's root.
    c.everyKind(
        "passes runAsUser: 0 when the pod runs in a user namespace (hostUsers: false)",
        (pod) => {
            pod.hostUsers = false;
            pod.securityContext.runAsUser = 0;
            pod.containers[0].securityContext.runAsUser = 0;
        },
        () => [],
    );
    c.pod(
        "fails for runAsUser: 0 when the pod shares the host's user namespace (hostUsers: true)",
        (pod) => {
            pod.hostUsers = true;
            pod.containers[0].securityContext.runAsUser = 0;
        },
        [{ path: "spec.containers[0].securityContext.runAsUser", message: root('container "app"') }],
    );
});
