import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asArray, asObject, containerLabel, containerPath, containerViolations, isUnset, POD_KINDS, quote } from "./pod";

/** Every `ports[*].hostPort` of every kind of container must be absent or 0 (0 means "none"). */
export const disallowHostPorts: RuntimeRule = {
    id: "disallow-host-ports",
    scope: "runtime",
    title: "Disallow hostPorts",
    description: "Containers must not bind ports of the node through hostPort, which exposes them outside Services and NetworkPolicies.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.networkSeparation, BSI.podSeparation]),
    remediation: "Remove hostPort (or set it to 0) on every port of every container; expose the port through a Service instead.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            const ports = asArray(container.ports);
            if (ports === undefined) {
                return;
            }
            for (let i = 0; i < ports.length; i++) {
                const hostPort = asObject(ports[i])?.hostPort;
                if (!isUnset(hostPort) && hostPort !== 0) {
                    violations.push({
                        path: `${containerPath(pod, list, index)}.ports[${i}].hostPort`,
                        message: `${containerLabel(container, list, index)} binds host port ${quote(hostPort)}; hostPort must be unset or 0.`,
                    });
                }
            }
        });
    },
    kyverno() {
        const optional = { "=(ports)": [{ "=(hostPort)": 0 }] };
        return [
            {
                name: "host-ports-none",
                match: matchPods(),
                validate: {
                    message:
                        "Use of host ports is disallowed: ports[*].hostPort of spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or 0.",
                    pattern: {
                        spec: {
                            "=(ephemeralContainers)": [optional],
                            "=(initContainers)": [optional],
                            containers: [optional],
                        },
                    },
                },
            },
        ];
    },
};
