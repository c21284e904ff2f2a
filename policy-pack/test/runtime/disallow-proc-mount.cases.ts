import { disallowProcMount } from "../../catalog/runtime/disallow-proc-mount";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowProcMount, (c) => {
    c.compliant();
    c.pod('passes procMount "Default"', (pod) => (pod.containers[0].securityContext.procMount = "Default"), []);
    c.everyKind(
        'flags procMount "Unmasked"',
        (pod) => (pod.containers[1].securityContext.procMount = "Unmasked"),
        (p) => [
            {
                path: `${p}.containers[1].securityContext.procMount`,
                message: 'container "metrics" sets securityContext.procMount to "Unmasked"; it must be unset or "Default".',
            },
        ],
    );
    c.pod(
        "flags init and ephemeral containers, and values that differ only in case",
        (pod) => {
            pod.initContainers[0].securityContext.procMount = "default";
            pod.ephemeralContainers[0].securityContext.procMount = "Unmasked";
        },
        [
            {
                path: "spec.initContainers[0].securityContext.procMount",
                message: 'init container "migrate" sets securityContext.procMount to "default"; it must be unset or "Default".',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.procMount",
                message: 'ephemeral container "debug" sets securityContext.procMount to "Unmasked"; it must be unset or "Default".',
            },
        ],
    );
    // PSS baseline, Kubernetes 1.35+: a pod in a user namespace may use any procMount.
    c.everyKind(
        "passes any procMount when the pod runs in a user namespace (hostUsers: false)",
        (pod) => {
            pod.hostUsers = false;
            pod.containers[1].securityContext.procMount = "Unmasked";
            pod.initContainers[0].securityContext.procMount = "Unmasked";
        },
        () => [],
    );
    c.pod(
        "fails when a pod that shares the host's user namespace (hostUsers: true) unmasks /proc",
        (pod) => {
            pod.hostUsers = true;
            pod.containers[1].securityContext.procMount = "Unmasked";
        },
        [
            {
                path: "spec.containers[1].securityContext.procMount",
                message: 'container "metrics" sets securityContext.procMount to "Unmasked"; it must be unset or "Default".',
            },
        ],
    );
});
