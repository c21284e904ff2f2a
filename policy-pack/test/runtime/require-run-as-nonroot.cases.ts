import { requireRunAsNonroot } from "../../catalog/runtime/require-run-as-nonroot";
import { everyContainer, workloadCases } from "./fixtures";

export const cases = workloadCases(requireRunAsNonroot, (c) => {
    c.compliant();
    c.pod(
        "passes a pod-level runAsNonRoot: true that containers inherit",
        (pod) => everyContainer(pod, (c) => delete c.securityContext.runAsNonRoot),
        [],
    );
    c.pod("passes containers that all set runAsNonRoot: true without a pod-level value", (pod) => delete pod.securityContext.runAsNonRoot, []);
    c.pod(
        "passes a pod-level false that every container overrides with true (upstream's second pattern)",
        (pod) => (pod.securityContext.runAsNonRoot = false),
        [],
    );
    c.everyKind(
        "flags a container that sets runAsNonRoot: false despite the pod",
        (pod) => (pod.containers[0].securityContext.runAsNonRoot = false),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.runAsNonRoot`,
                message: 'container "app" sets securityContext.runAsNonRoot to false; it must be true.',
            },
        ],
    );
    c.pod(
        "fails when neither the pod nor the container sets runAsNonRoot (absent is not true)",
        (pod) => {
            delete pod.securityContext.runAsNonRoot;
            delete pod.initContainers[0].securityContext.runAsNonRoot;
            delete pod.ephemeralContainers[0].securityContext;
        },
        [
            {
                path: "spec.initContainers[0].securityContext.runAsNonRoot",
                message: 'init container "migrate" does not set securityContext.runAsNonRoot and the pod\'s is not set; one of them must be true.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.runAsNonRoot",
                message: 'ephemeral container "debug" does not set securityContext.runAsNonRoot and the pod\'s is not set; one of them must be true.',
            },
        ],
    );
    c.pod(
        "flags containers that inherit a pod-level false",
        (pod) => {
            pod.securityContext.runAsNonRoot = false;
            delete pod.containers[1].securityContext.runAsNonRoot;
        },
        [
            {
                path: "spec.containers[1].securityContext.runAsNonRoot",
                message: 'container "metrics" does not set securityContext.runAsNonRoot and the pod\'s is false; one of them must be true.',
            },
        ],
    );
});
