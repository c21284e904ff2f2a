import { disallowHostPorts } from "../../catalog/runtime/disallow-host-ports";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowHostPorts, (c) => {
    c.compliant();
    c.pod("passes hostPort 0, which means no host port", (pod) => (pod.containers[0].ports[0].hostPort = 0), []);
    c.pod("passes an empty ports list", (pod) => (pod.containers[0].ports = []), []);
    c.everyKind(
        "flags a hostPort on a container",
        (pod) => (pod.containers[0].ports[0].hostPort = 8080),
        (p) => [{ path: `${p}.containers[0].ports[0].hostPort`, message: 'container "app" binds host port 8080; hostPort must be unset or 0.' }],
    );
    c.pod(
        "flags host ports on init and ephemeral containers, each port by index",
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
