import { requireRoRootfs as rule } from "../../catalog/workload/require-ro-rootfs";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("require-ro-rootfs", () => {
    itPassesCompliantWorkloads(rule);

    it("does not check init or ephemeral containers (as upstream)", () => {
        expectPodViolations(
            rule,
            (pod) => {
                pod.initContainers[0].securityContext.readOnlyRootFilesystem = false;
                delete pod.ephemeralContainers[0].securityContext;
            },
            [],
        );
    });

    itFlagsEveryKind(
        rule,
        "flags readOnlyRootFilesystem: false",
        (pod) => (pod.containers[0].securityContext.readOnlyRootFilesystem = false),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.readOnlyRootFilesystem`,
                message: 'container "app" must set securityContext.readOnlyRootFilesystem to true, but it is false.',
            },
        ],
    );

    it("fails when readOnlyRootFilesystem is absent", () => {
        expectPodViolations(rule, (pod) => delete pod.containers[1].securityContext.readOnlyRootFilesystem, [
            {
                path: "spec.containers[1].securityContext.readOnlyRootFilesystem",
                message: 'container "metrics" must set securityContext.readOnlyRootFilesystem to true, but it is not set.',
            },
        ]);
    });
});
