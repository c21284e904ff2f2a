import type { RuntimeRule } from "../core/types";
import { BSI } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { containerLabel, containerPath, containerViolations, POD_KINDS, quote, securityContextOf } from "./pod";

/**
 * Every (app) container must set `securityContext.readOnlyRootFilesystem: true`; writable
 * paths come from volumes. As upstream, init and ephemeral containers are not checked.
 */
export const requireRoRootfs: RuntimeRule = {
    id: "require-ro-rootfs",
    scope: "runtime",
    title: "Require Read-Only Root Filesystem",
    description: "Every container must run with a read-only root filesystem so it cannot be changed at runtime.",
    severity: "medium",
    category: "Best Practices, EKS Best Practices, PSP Migration",
    framework: { bsi: [BSI.immutable] },
    remediation: "Set securityContext.readOnlyRootFilesystem: true on every entry of containers and mount an emptyDir where the application must write.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(
            manifest,
            (container, list, index, pod, violations) => {
                const value = securityContextOf(container)?.readOnlyRootFilesystem;
                if (value !== true) {
                    violations.push({
                        path: `${containerPath(pod, list, index)}.securityContext.readOnlyRootFilesystem`,
                        message: `${containerLabel(container, list, index)} must set securityContext.readOnlyRootFilesystem to true, but it is ${quote(value)}.`,
                    });
                }
            },
            ["containers"],
        );
    },
    kyverno() {
        return [
            {
                name: "validate-readOnlyRootFilesystem",
                match: matchPods(),
                validate: {
                    message: "Root filesystem must be read-only.",
                    pattern: { spec: { containers: [{ securityContext: { readOnlyRootFilesystem: true } }] } },
                },
            },
        ];
    },
};
