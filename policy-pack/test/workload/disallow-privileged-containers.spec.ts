import { disallowPrivilegedContainers as rule } from "../../catalog/workload/disallow-privileged-containers";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("disallow-privileged-containers", () => {
    itPassesCompliantWorkloads(rule);

    it("passes privileged: false and privileged: null (explicitly not privileged / unset)", () => {
        expectPodViolations(
            rule,
            (pod) => {
                pod.containers[0].securityContext.privileged = false;
                pod.containers[1].securityContext.privileged = null;
            },
            [],
        );
    });

    itFlagsEveryKind(
        rule,
        "flags privileged: true on a container",
        (pod) => (pod.containers[0].securityContext.privileged = true),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.privileged`,
                message: 'container "app" sets securityContext.privileged to true; it must be unset or false.',
            },
        ],
    );

    it("flags init and ephemeral containers", () => {
        expectPodViolations(
            rule,
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
    });

    it('flags a non-boolean value such as "true"', () => {
        expectPodViolations(rule, (pod) => (pod.containers[1].securityContext.privileged = "true"), [
            {
                path: "spec.containers[1].securityContext.privileged",
                message: 'container "metrics" sets securityContext.privileged to "true"; it must be unset or false.',
            },
        ]);
    });
});
