import { requireRequestsLimits } from "../../catalog/runtime/require-requests-limits";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(requireRequestsLimits, (c) => {
    c.compliant();
    c.pod(
        "passes numeric quantities and does not require a CPU limit",
        (pod) => (pod.containers[0].resources = { requests: { cpu: 1, memory: 134217728 }, limits: { memory: "1Gi" } }),
        [],
    );
    c.pod("does not check init or ephemeral containers (as upstream)", (pod) => (pod.initContainers[0].resources = {}), []);
    c.everyKind(
        "fails when a container has no resources at all",
        (pod) => delete pod.containers[1].resources,
        (p) => [
            { path: `${p}.containers[1].resources.requests.memory`, message: 'container "metrics" sets no memory request (resources.requests.memory is not set).' },
            { path: `${p}.containers[1].resources.requests.cpu`, message: 'container "metrics" sets no cpu request (resources.requests.cpu is not set).' },
            { path: `${p}.containers[1].resources.limits.memory`, message: 'container "metrics" sets no memory limit (resources.limits.memory is not set).' },
        ],
    );
    c.pod(
        "fails when only the memory limit is missing",
        (pod) => (pod.containers[0].resources.limits = { cpu: "500m" }),
        [
            { path: "spec.containers[0].resources.limits.memory", message: 'container "app" sets no memory limit (resources.limits.memory is not set).' },
        ],
    );
    c.pod(
        "fails when the CPU request is an empty string",
        (pod) => (pod.containers[0].resources.requests.cpu = ""),
        [
            { path: "spec.containers[0].resources.requests.cpu", message: 'container "app" sets no cpu request (resources.requests.cpu is "").' },
        ],
    );
});
