import { disallowPrivilegedContainers } from "../../catalog/runtime/disallow-privileged-containers";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowPrivilegedContainers, (c) => {
    c.compliant();
    c.pod(
        "passes privileged: false and privileged: null (explicitly not privileged / unset)",
        (pod) => {
            pod.containers[0].securityContext.privileged = false;
            pod.containers[1].securityContext.privileged = null;
        },
        [],
    );
    c.everyKind(
        "flags privileged: true on a container",
        (pod) => (pod.containers[0].securityContext.privileged = true),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.privileged`,
                message: 'container "app" sets securityContext.privileged to true; it must be unset or false.',
            },
        ],
    );
    c.pod(
        "flags init and ephemeral containers",
        (pod) => {
            pod.initContainers[0].securityContext.privileged = true;
            pod.ephemeralContainers[0].securityContext.privileged = true;
        },
        [
            {
                path: "spec.initContainers[0].securityContext.privileged",
                message: 'init container "migrate" sets securityContext.privileged to true; it must be unset or false.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.privileged",
                message: 'ephemeral container "debug" sets securityContext.privileged to true; it must be unset or false.',
            },
        ],
    );
    c.pod(
        'flags a non-boolean value such as "true"',
        (pod) => (pod.containers[1].securityContext.privileged = "true"),
        [
            {
                path: "spec.containers[1].securityContext.privileged",
                message: 'container "metrics" sets securityContext.privileged to "true"; it must be unset or false.',
            },
        ],
    );
});
