import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods, notDeleting } from "./kyverno-blocks";
import { POD_KINDS, quote, volumeViolations } from "./pod";

/** Volume sources the restricted profile allows: core types and those backed by PersistentVolumes. */
export const ALLOWED_VOLUME_TYPES: readonly string[] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

const allowed = new Set(ALLOWED_VOLUME_TYPES);

/** Every key of every volume, other than `name`, must be one of the allowed volume types. */
export const restrictVolumeTypes: RuntimeRule = {
    id: "restrict-volume-types",
    scope: "runtime",
    title: "Restrict Volume Types",
    description: "Pods may use only core volume types and volumes defined through PersistentVolumes.",
    severity: "medium",
    category: "Pod Security Standards (Restricted)",
    framework: pss("restricted", [BSI.storage]),
    remediation: `Replace every other volume source with one of ${ALLOWED_VOLUME_TYPES.join(", ")}, e.g. a persistentVolumeClaim for network storage.`,
    kinds: [...POD_KINDS],
    check(manifest) {
        return volumeViolations(manifest, (volume, path, violations) => {
            for (const key in volume) {
                if (key !== "name" && !allowed.has(key)) {
                    violations.push({
                        path: `${path}.${key}`,
                        message: `Volume ${quote(volume.name)} uses volume type ${quote(key)}, which is not one of the allowed types.`,
                    });
                }
            }
        });
    },
    kyverno() {
        return [
            {
                name: "restricted-volumes",
                match: matchPods(),
                preconditions: notDeleting(),
                validate: {
                    message: `Only the following types of volumes may be used: ${ALLOWED_VOLUME_TYPES.join(", ")}.`,
                    deny: {
                        conditions: {
                            all: [
                                {
                                    key: "{{ request.object.spec.volumes[].keys(@)[] || '' }}",
                                    operator: "AnyNotIn",
                                    value: ["name", ...ALLOWED_VOLUME_TYPES, ""],
                                },
                            ],
                        },
                    },
                },
            },
        ];
    },
};
