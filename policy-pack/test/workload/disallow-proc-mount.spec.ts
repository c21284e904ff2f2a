import { disallowProcMount as rule } from "../../catalog/workload/disallow-proc-mount";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("disallow-proc-mount", () => {
    itPassesCompliantWorkloads(rule);

    it('passes procMount "Default"', () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].securityContext.procMount = "Default"), []);
    });

    itFlagsEveryKind(
        rule,
        'flags procMount "Unmasked"',
        (pod) => (pod.containers[1].securityContext.procMount = "Unmasked"),
        (p) => [
            {
                path: `${p}.containers[1].securityContext.procMount`,
                message: 'container "metrics" sets securityContext.procMount to "Unmasked"; it must be unset or "Default".',
            },
        ],
    );

    it("flags init and ephemeral containers, and values that differ only in case", () => {
        expectPodViolations(
            rule,
            (pod) => {
                pod.initContainers[0].securityContext.procMount = "default";
                pod.ephemeralContainers[0].securityContext.procMount = "Unmasked";
            },
            [
                {
                    path: "spec.initContainers[0].securityContext.procMount",
                    message: 'init container "migrate" sets securityContext.procMount to "default"; it must be unset or "Default".',
                },
                {
                    path: "spec.ephemeralContainers[0].securityContext.procMount",
                    message: 'ephemeral container "debug" sets securityContext.procMount to "Unmasked"; it must be unset or "Default".',
                },
            ],
        );
    });
});
