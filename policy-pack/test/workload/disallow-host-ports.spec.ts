import { disallowHostPorts as rule } from "../../catalog/workload/disallow-host-ports";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("disallow-host-ports", () => {
    itPassesCompliantWorkloads(rule);

    it("passes hostPort 0, which means no host port", () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].ports[0].hostPort = 0), []);
    });

    it("passes an empty ports list", () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].ports = []), []);
    });

    itFlagsEveryKind(
        rule,
        "flags a hostPort on a container",
        (pod) => (pod.containers[0].ports[0].hostPort = 8080),
        (p) => [{ path: `${p}.containers[0].ports[0].hostPort`, message: 'container "app" binds host port 8080; hostPort must be unset or 0.' }],
    );

    it("flags host ports on init and ephemeral containers, each port by index", () => {
        expectPodViolations(
            rule,
            (pod) => {
                pod.initContainers[0].ports = [{ containerPort: 53 }, { containerPort: 53, hostPort: 53, protocol: "UDP" }];
                pod.ephemeralContainers[0].ports = [{ containerPort: 2345, hostPort: 2345 }];
            },
            [
                { path: "spec.initContainers[0].ports[1].hostPort", message: 'init container "migrate" binds host port 53; hostPort must be unset or 0.' },
                { path: "spec.ephemeralContainers[0].ports[0].hostPort", message: 'ephemeral container "debug" binds host port 2345; hostPort must be unset or 0.' },
            ],
        );
    });
});
