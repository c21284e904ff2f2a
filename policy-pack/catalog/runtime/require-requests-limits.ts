import type { RuntimeRule } from "../core/types";
import { BSI } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, containerLabel, containerPath, containerViolations, POD_KINDS, quote } from "./pod";
import type { JsonObject } from "./pod";

/** The quantities every container must declare, as `resources.<section>.<resource>`. */
const REQUIRED = [
    ["requests", "memory"],
    ["requests", "cpu"],
    ["limits", "memory"],
] as const;

/** A quantity counts as set when it is a non-empty string or a number (Kyverno's `?*`). */
function isQuantity(value: unknown): boolean {
    return (typeof value === "string" && value !== "") || typeof value === "number";
}

/**
 * Every (app) container must request memory and CPU and limit memory, so the scheduler can
 * place it and the node cannot be starved. As upstream, init and ephemeral containers are
 * not checked, and a CPU limit is not required (it throttles rather than protects).
 */
export const requireRequestsLimits: RuntimeRule = {
    id: "require-requests-limits",
    scope: "runtime",
    title: "Require Limits and Requests",
    description: "Every container must set memory and CPU requests and a memory limit.",
    severity: "medium",
    category: "Best Practices, EKS Best Practices",
    framework: { bsi: [BSI.resourceLimits] },
    remediation: "Set resources.requests.memory, resources.requests.cpu and resources.limits.memory on every entry of containers.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(
            manifest,
            (container, list, index, pod, violations) => {
                const resources = asObject(container.resources);
                for (const [section, resource] of REQUIRED) {
                    const sectionValue: JsonObject | undefined = asObject(resources?.[section]);
                    if (!isQuantity(sectionValue?.[resource])) {
                        const noun = section === "requests" ? "request" : "limit";
                        violations.push({
                            path: `${containerPath(pod, list, index)}.resources.${section}.${resource}`,
                            message: `${containerLabel(container, list, index)} sets no ${resource} ${noun} (resources.${section}.${resource} is ${quote(sectionValue?.[resource])}).`,
                        });
                    }
                }
            },
            ["containers"],
        );
    },
    kyverno() {
        return [
            {
                name: "validate-resources",
                match: matchPods(),
                validate: {
                    message: "CPU and memory resource requests and memory limits are required for containers.",
                    pattern: {
                        spec: {
                            containers: [{ resources: { requests: { memory: "?*", cpu: "?*" }, limits: { memory: "?*" } } }],
                        },
                    },
                },
            },
        ];
    },
};
