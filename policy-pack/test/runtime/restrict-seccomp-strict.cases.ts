import { restrictSeccompStrict } from "../../catalog/runtime/restrict-seccomp-strict";
import { everyContainer, onWindows, workloadCases } from "./fixtures";

export const cases = workloadCases(restrictSeccompStrict, (c) => {
    c.compliant();
    c.pod(
        "passes a pod-level RuntimeDefault that every container inherits",
        (pod) => everyContainer(pod, (c) => delete c.securityContext.seccompProfile),
        [],
    );
    c.pod(
        "passes no pod-level profile when every container sets Localhost or RuntimeDefault",
        (pod) => {
            delete pod.securityContext.seccompProfile;
            pod.containers[0].securityContext.seccompProfile = { type: "Localhost", localhostProfile: "app.json" };
        },
        [],
    );
    c.pod(
        "passes a pod-level Unconfined that every container overrides (as upstream's second pattern does)",
        (pod) => (pod.securityContext.seccompProfile = { type: "Unconfined" }),
        [],
    );
    c.everyKind(
        "fails when neither the pod nor a container sets a profile",
        (pod) => {
            delete pod.securityContext.seccompProfile;
            delete pod.containers[1].securityContext.seccompProfile;
        },
        (p) => [
            {
                path: `${p}.containers[1].securityContext.seccompProfile.type`,
                message: 'container "metrics" sets no securityContext.seccompProfile.type and the pod sets none either; one of them must be "RuntimeDefault" or "Localhost".',
            },
        ],
    );
    c.pod(
        "flags each container that inherits a pod-level Unconfined",
        (pod) => {
            pod.securityContext.seccompProfile = { type: "Unconfined" };
            delete pod.initContainers[0].securityContext.seccompProfile;
            delete pod.ephemeralContainers[0].securityContext.seccompProfile;
        },
        [
            {
                path: "spec.initContainers[0].securityContext.seccompProfile.type",
                message: 'init container "migrate" inherits seccompProfile.type "Unconfined" from the pod; it must be "RuntimeDefault" or "Localhost".',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.seccompProfile.type",
                message: 'ephemeral container "debug" inherits seccompProfile.type "Unconfined" from the pod; it must be "RuntimeDefault" or "Localhost".',
            },
        ],
    );
    c.pod(
        "flags a container that overrides a good pod-level profile with Unconfined",
        (pod) => (pod.containers[0].securityContext.seccompProfile = { type: "Unconfined" }),
        [
            {
                path: "spec.containers[0].securityContext.seccompProfile.type",
                message: 'container "app" sets securityContext.seccompProfile.type to "Unconfined"; it must be "RuntimeDefault" or "Localhost".',
            },
        ],
    );
    // PSS restricted, Kubernetes 1.25+: Windows pods are exempt from this check (the field has no effect on Windows).
    c.everyKind(
        "passes a Windows pod (spec.os.name: windows) that sets no seccompProfile",
        (pod) => {
            onWindows(pod);
            delete pod.securityContext.seccompProfile;
            everyContainer(pod, (container) => delete container.securityContext.seccompProfile);
        },
        () => [],
    );
    c.pod(
        "fails when a Linux pod (spec.os.name: linux) sets no seccompProfile",
        (pod) => {
            pod.os = { name: "linux" };
            delete pod.securityContext.seccompProfile;
            delete pod.containers[0].securityContext.seccompProfile;
        },
        [
            {
                path: "spec.containers[0].securityContext.seccompProfile.type",
                message: 'container "app" sets no securityContext.seccompProfile.type and the pod sets none either; one of them must be "RuntimeDefault" or "Localhost".',
            },
        ],
    );
});
