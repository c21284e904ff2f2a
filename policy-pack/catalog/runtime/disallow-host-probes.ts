import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, containerLabel, containerPath, containerViolations, POD_KINDS, quote } from "./pod";

/** Where a container names network handlers: its three probes and its two lifecycle hooks. */
const HANDLERS = [
    ["livenessProbe"],
    ["readinessProbe"],
    ["startupProbe"],
    ["lifecycle", "postStart"],
    ["lifecycle", "preStop"],
] as const;

/** The handler actions that carry a host. */
const ACTIONS = ["httpGet", "tcpSocket"] as const;

/**
 * PSS baseline, Kubernetes 1.34+: probes and lifecycle handlers must not name a `host`, so a
 * container cannot make the kubelet send requests to the node or to other hosts on its behalf.
 * `host` must be unset (or empty, which the API treats as unset: the pod IP) in `httpGet` and
 * `tcpSocket` of the liveness, readiness and startup probes and of the postStart and preStop
 * handlers, on every kind of container. Upstream kyverno/policies has no policy of this name yet;
 * the rule follows the PSS control ("Host Probes / Lifecycle Hooks").
 */
export const disallowHostProbes: RuntimeRule = {
    id: "disallow-host-probes",
    scope: "runtime",
    title: "Disallow Host in Probes and Lifecycle Handlers",
    description: "Probes and lifecycle handlers must not name a host: httpGet.host and tcpSocket.host must be unset.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.networkSeparation, BSI.podSeparation]),
    remediation:
        "Remove httpGet.host and tcpSocket.host from every livenessProbe, readinessProbe, startupProbe and lifecycle postStart/preStop handler of every container, init container and ephemeral container; the kubelet then probes the pod's own IP.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            for (const handlerPath of HANDLERS) {
                let handler = asObject(container[handlerPath[0]]);
                if (handlerPath.length === 2) {
                    handler = asObject(handler?.[handlerPath[1]]);
                }
                for (const action of ACTIONS) {
                    const host = asObject(handler?.[action])?.host;
                    if (host !== undefined && host !== null && host !== "") {
                        const field = `${handlerPath.join(".")}.${action}.host`;
                        violations.push({
                            path: `${containerPath(pod, list, index)}.${field}`,
                            message: `${containerLabel(container, list, index)} sets ${field} to ${quote(host)}; probes and lifecycle handlers must not name a host.`,
                        });
                    }
                }
            }
        });
    },
    kyverno() {
        const action = { "=(host)": "" };
        const handler = { "=(httpGet)": action, "=(tcpSocket)": action };
        const container = {
            "=(livenessProbe)": handler,
            "=(readinessProbe)": handler,
            "=(startupProbe)": handler,
            "=(lifecycle)": { "=(postStart)": handler, "=(preStop)": handler },
        };
        return [
            {
                name: "host-probes",
                match: matchPods(),
                validate: {
                    message:
                        "Probes and lifecycle handlers must not name a host: httpGet.host and tcpSocket.host of the livenessProbe, readinessProbe, startupProbe and lifecycle.postStart/preStop of spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset.",
                    pattern: {
                        spec: {
                            "=(ephemeralContainers)": [container],
                            "=(initContainers)": [container],
                            containers: [container],
                        },
                    },
                },
            },
        ];
    },
};
