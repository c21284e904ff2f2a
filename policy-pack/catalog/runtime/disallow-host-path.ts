import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, isUnset, POD_KINDS, quote, volumeViolations } from "./pod";

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
        return volumeViolations(manifest, (volume, path, violations) => {
            const hostPath = volume.hostPath;
            if (!isUnset(hostPath)) {
                violations.push({
                    path: `${path}.hostPath`,
                    message: `Volume ${quote(volume.name)} mounts host path ${quote(asObject(hostPath)?.path)}; hostPath volumes are disallowed.`,
                });
            }
        });
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
