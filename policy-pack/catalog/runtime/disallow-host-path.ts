import type { RuntimeRule, Violation } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asArray, asObject, isUnset, podOf, POD_KINDS, quote } from "./pod";

/** No volume of the pod may be a `hostPath` volume. */
export const disallowHostPath: RuntimeRule = {
    id: "disallow-host-path",
    scope: "runtime",
    title: "Disallow hostPath",
    description: "Pods must not mount directories of the node through hostPath volumes.",
    severity: "high",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.storage, BSI.podSeparation]),
    remediation: "Replace every hostPath volume with a persistentVolumeClaim, emptyDir, configMap, secret or projected volume.",
    kinds: [...POD_KINDS],
    check(manifest) {
        const pod = podOf(manifest);
        const volumes = asArray(pod?.spec.volumes);
        if (pod === undefined || volumes === undefined) {
            return [];
        }
        const violations: Violation[] = [];
        for (let i = 0; i < volumes.length; i++) {
            const volume = asObject(volumes[i]);
            const hostPath = volume?.hostPath;
            if (volume !== undefined && !isUnset(hostPath)) {
                violations.push({
                    path: `${pod.path}.volumes[${i}].hostPath`,
                    message: `Volume ${quote(volume.name)} mounts host path ${quote(asObject(hostPath)?.path)}; hostPath volumes are disallowed.`,
                });
            }
        }
        return violations;
    },
    kyverno() {
        return [
            {
                name: "host-path",
                match: matchPods(),
                validate: {
                    message: "HostPath volumes are disallowed: spec.volumes[*].hostPath must be unset.",
                    pattern: { spec: { "=(volumes)": [{ "X(hostPath)": "null" }] } },
                },
            },
        ];
    },
};
