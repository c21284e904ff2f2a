import { disallowCapabilities, BASELINE_CAPABILITIES } from "../../catalog/runtime/disallow-capabilities";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowCapabilities, (c) => {
    c.compliant();
    c.pod(
        "passes every capability of the baseline set",
        (pod) => (pod.containers[0].securityContext.capabilities = { add: [...BASELINE_CAPABILITIES] }),
        [],
    );
    c.pod(
        "passes an empty add list and a container without capabilities",
        (pod) => {
            pod.containers[0].securityContext.capabilities.add = [];
            delete pod.containers[1].securityContext;
        },
        [],
    );
    c.everyKind(
        "flags SYS_ADMIN added to a container",
        (pod) => (pod.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE", "SYS_ADMIN"]),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.capabilities.add[1]`,
                message: 'container "app" adds capability "SYS_ADMIN", which is not in the baseline set.',
            },
        ],
    );
    c.pod(
        "flags every offending entry in init and ephemeral containers",
        (pod) => {
            pod.initContainers[0].securityContext.capabilities.add = ["NET_RAW", "CHOWN", "NET_ADMIN"];
            pod.ephemeralContainers[0].securityContext.capabilities.add = ["SYS_PTRACE"];
        },
        [
            {
                path: "spec.initContainers[0].securityContext.capabilities.add[0]",
                message: 'init container "migrate" adds capability "NET_RAW", which is not in the baseline set.',
            },
            {
                path: "spec.initContainers[0].securityContext.capabilities.add[2]",
                message: 'init container "migrate" adds capability "NET_ADMIN", which is not in the baseline set.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.capabilities.add[0]",
                message: 'ephemeral container "debug" adds capability "SYS_PTRACE", which is not in the baseline set.',
            },
        ],
    );
    c.pod(
        'flags "ALL" in the add list and names that are not spelled exactly (case matters)',
        (pod) => (pod.containers[1].securityContext.capabilities.add = ["ALL", "chown"]),
        [
            {
                path: "spec.containers[1].securityContext.capabilities.add[0]",
                message: 'container "metrics" adds capability "ALL", which is not in the baseline set.',
            },
            {
                path: "spec.containers[1].securityContext.capabilities.add[1]",
                message: 'container "metrics" adds capability "chown", which is not in the baseline set.',
            },
        ],
    );
});
