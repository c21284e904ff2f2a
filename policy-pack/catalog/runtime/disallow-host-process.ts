import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, containerLabel, containerPath, forEachContainer, isUnset, POD_KINDS, podViolations, quote, securityContextOf } from "./pod";
import type { JsonObject } from "./pod";

function hostProcessOf(owner: JsonObject): unknown {
    return asObject(securityContextOf(owner)?.windowsOptions)?.hostProcess;
}

/**
 * Windows HostProcess containers run as a process on the node: `windowsOptions.hostProcess`
 * must be absent or false at pod level and on every kind of container.
 */
export const disallowHostProcess: RuntimeRule = {
    id: "disallow-host-process",
    scope: "runtime",
    title: "Disallow hostProcess",
    description: "Windows pods must not run HostProcess containers, which have privileged access to the node.",
    severity: "high",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.unprivileged, BSI.podSeparation]),
    remediation: "Remove securityContext.windowsOptions.hostProcess from the pod and from every container, or set it to false.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            const podValue = hostProcessOf(pod.spec);
            if (!isUnset(podValue) && podValue !== false) {
                violations.push({
                    path: `${pod.path}.securityContext.windowsOptions.hostProcess`,
                    message: `The pod sets securityContext.windowsOptions.hostProcess to ${quote(podValue)}; it must be unset or false.`,
                });
            }
            forEachContainer(pod, (container, list, index) => {
                const value = hostProcessOf(container);
                if (!isUnset(value) && value !== false) {
                    violations.push({
                        path: `${containerPath(pod, list, index)}.securityContext.windowsOptions.hostProcess`,
                        message: `${containerLabel(container, list, index)} sets securityContext.windowsOptions.hostProcess to ${quote(value)}; it must be unset or false.`,
                    });
                }
            });
        });
    },
    kyverno() {
        const optional = { "=(securityContext)": { "=(windowsOptions)": { "=(hostProcess)": "false" } } };
        return [
            {
                name: "host-process-containers",
                match: matchPods(),
                validate: {
                    message:
                        "HostProcess containers are disallowed: securityContext.windowsOptions.hostProcess of spec, spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or false.",
                    pattern: {
                        spec: {
                            ...optional,
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
