import { restrictSeccomp } from "../../catalog/runtime/restrict-seccomp";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(restrictSeccomp, (c) => {
    c.compliant();
    c.pod(
        "passes a pod with no seccomp profile anywhere (baseline allows unset)",
        (pod) => {
            delete pod.securityContext.seccompProfile;
            for (const list of [pod.containers, pod.initContainers, pod.ephemeralContainers]) {
                for (const container of list) delete container.securityContext.seccompProfile;
            }
        },
        [],
    );
    c.pod(
        "passes Localhost profiles",
        (pod) => (pod.containers[0].securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" }),
        [],
    );
    c.everyKind(
        "flags Unconfined at pod level",
        (pod) => (pod.securityContext.seccompProfile = { type: "Unconfined" }),
        (p) => [
            {
                path: `${p}.securityContext.seccompProfile.type`,
                message: 'The pod sets securityContext.seccompProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
        ],
    );
    c.pod(
        "flags Unconfined on every kind of container",
        (pod) => {
            pod.containers[1].securityContext.seccompProfile.type = "Unconfined";
            pod.initContainers[0].securityContext.seccompProfile.type = "Unconfined";
            pod.ephemeralContainers[0].securityContext.seccompProfile.type = "runtime/default";
        },
        [
            {
                path: "spec.containers[1].securityContext.seccompProfile.type",
                message: 'container "metrics" sets securityContext.seccompProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
            {
                path: "spec.initContainers[0].securityContext.seccompProfile.type",
                message: 'init container "migrate" sets securityContext.seccompProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.seccompProfile.type",
                message: 'ephemeral container "debug" sets securityContext.seccompProfile.type to "runtime/default"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
        ],
    );
});
