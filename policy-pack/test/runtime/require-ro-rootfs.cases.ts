import { requireRoRootfs } from "../../catalog/runtime/require-ro-rootfs";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(requireRoRootfs, (c) => {
    c.compliant();
    c.pod(
        "does not check init or ephemeral containers (as upstream)",
        (pod) => {
            pod.initContainers[0].securityContext.readOnlyRootFilesystem = false;
            delete pod.ephemeralContainers[0].securityContext;
        },
        [],
    );
    c.everyKind(
        "flags readOnlyRootFilesystem: false",
        (pod) => (pod.containers[0].securityContext.readOnlyRootFilesystem = false),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.readOnlyRootFilesystem`,
                message: 'container "app" must set securityContext.readOnlyRootFilesystem to true, but it is false.',
            },
        ],
    );
    c.pod(
        "fails when readOnlyRootFilesystem is absent",
        (pod) => delete pod.containers[1].securityContext.readOnlyRootFilesystem,
        [
            {
                path: "spec.containers[1].securityContext.readOnlyRootFilesystem",
                message: 'container "metrics" must set securityContext.readOnlyRootFilesystem to true, but it is not set.',
            },
        ],
    );
});
