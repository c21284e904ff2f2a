import { requireRequestsLimits as rule } from "../../catalog/workload/require-requests-limits";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("require-requests-limits", () => {
    itPassesCompliantWorkloads(rule);

    it("passes numeric quantities and does not require a CPU limit", () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].resources = { requests: { cpu: 1, memory: 134217728 }, limits: { memory: "1Gi" } }), []);
    });

    it("does not check init or ephemeral containers (as upstream)", () => {
        expectPodViolations(rule, (pod) => (pod.initContainers[0].resources = {}), []);
    });

    itFlagsEveryKind(
        rule,
        "fails when a container has no resources at all",
        (pod) => delete pod.containers[1].resources,
        (p) => [
            { path: `${p}.containers[1].resources.requests.memory`, message: 'container "metrics" sets no memory request (resources.requests.memory is not set).' },
            { path: `${p}.containers[1].resources.requests.cpu`, message: 'container "metrics" sets no cpu request (resources.requests.cpu is not set).' },
            { path: `${p}.containers[1].resources.limits.memory`, message: 'container "metrics" sets no memory limit (resources.limits.memory is not set).' },
        ],
    );

    it("fails when only the memory limit is missing", () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].resources.limits = { cpu: "500m" }), [
            { path: "spec.containers[0].resources.limits.memory", message: 'container "app" sets no memory limit (resources.limits.memory is not set).' },
        ]);
    });

    it("fails when the CPU request is an empty string", () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].resources.requests.cpu = ""), [
            { path: "spec.containers[0].resources.requests.cpu", message: 'container "app" sets no cpu request (resources.requests.cpu is "").' },
        ]);
    });
});
