import type { RuntimeRule } from "../core/types";
import { BSI } from "../core/frameworks";
import { matchPods, notDeleting } from "./kyverno-blocks";
import { containerLabel, containerPath, containerViolations, isUnset, POD_KINDS } from "./pod";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;

/**
 * Every (app) container must define at least one of livenessProbe, readinessProbe or
 * startupProbe. Init and ephemeral containers run to completion or on demand, so, as
 * upstream, they are not checked.
 */
export const requirePodProbes: RuntimeRule = {
    id: "require-pod-probes",
    scope: "runtime",
    title: "Require Pod Probes",
    description: "Every container must define a liveness, readiness or startup probe so the kubelet and Services can manage its lifecycle.",
    severity: "medium",
    category: "Best Practices, EKS Best Practices",
    framework: { bsi: [BSI.monitoring] },
    remediation: "Add a readinessProbe (and usually a livenessProbe; a startupProbe for slow starters) to every entry of containers.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(
            manifest,
            (container, list, index, pod, violations) => {
                if (isUnset(container.livenessProbe) && isUnset(container.readinessProbe) && isUnset(container.startupProbe)) {
                    violations.push({
                        path: containerPath(pod, list, index),
                        message: `${containerLabel(container, list, index)} defines none of ${PROBES.join(", ")}; at least one is required.`,
                    });
                }
            },
            ["containers"],
        );
    },
    kyverno() {
        return [
            {
                name: "validate-probes",
                match: matchPods(),
                preconditions: notDeleting(),
                validate: {
                    message: "Liveness, readiness, or startup probes are required for all containers.",
                    foreach: [
                        {
                            list: "request.object.spec.containers[]",
                            deny: {
                                conditions: {
                                    all: PROBES.map((probe) => ({ key: probe, operator: "AllNotIn", value: "{{ element.keys(@)[] }}" })),
                                },
                            },
                        },
                    ],
                },
            },
        ];
    },
};
