import type { RuntimeRule, Violation } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, containerLabel, containerPath, forEachContainer, isUnset, keySegment, POD_KINDS, podViolations, quote, securityContextOf } from "./pod";
import type { JsonObject } from "./pod";

/** Prefix of the per-container AppArmor annotation (deprecated since Kubernetes 1.30, still honoured). */
export const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** Profile types the `appArmorProfile` field (Kubernetes 1.30+) may use; `Unconfined` may not. */
const ALLOWED_FIELD_TYPES = new Set(["RuntimeDefault", "Localhost"]);

function annotationAllowed(value: unknown): boolean {
    return value === "runtime/default" || (typeof value === "string" && value.startsWith("localhost/"));
}

function checkField(owner: JsonObject, path: string, who: string, violations: Violation[]): void {
    const profile = asObject(securityContextOf(owner)?.appArmorProfile);
    const type = profile?.type;
    if (profile !== undefined && !isUnset(type) && !(typeof type === "string" && ALLOWED_FIELD_TYPES.has(type))) {
        violations.push({
            path: `${path}.securityContext.appArmorProfile.type`,
            message: `${who} sets securityContext.appArmorProfile.type to ${quote(type)}; it must be unset, "RuntimeDefault" or "Localhost".`,
        });
    }
}

/**
 * AppArmor may not be switched off or overridden with anything but the runtime's default or
 * a profile loaded on the node: the annotation `container.apparmor.security.beta.kubernetes.io/<c>`
 * must be `runtime/default` or `localhost/*`, and the `appArmorProfile.type` field (pod and
 * every kind of container) must be `RuntimeDefault` or `Localhost`.
 */
export const restrictApparmorProfiles: RuntimeRule = {
    id: "restrict-apparmor-profiles",
    scope: "runtime",
    title: "Restrict AppArmor",
    description: "Pods may use only the runtime's default AppArmor profile or one loaded on the node, never Unconfined.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.extendedPolicies]),
    remediation:
        'Set securityContext.appArmorProfile.type to "RuntimeDefault" or "Localhost" (or leave it unset), and give container.apparmor.security.beta.kubernetes.io/* annotations only "runtime/default" or "localhost/<profile>".',
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            const annotations = asObject(pod.metadata?.annotations);
            if (annotations !== undefined) {
                for (const key in annotations) {
                    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !annotationAllowed(annotations[key])) {
                        violations.push({
                            path: `${pod.metadataPath}.annotations${keySegment(key)}`,
                            message: `Annotation ${key} is ${quote(annotations[key])}; it must be "runtime/default" or "localhost/<profile>".`,
                        });
                    }
                }
            }
            checkField(pod.spec, pod.path, "The pod", violations);
            forEachContainer(pod, (container, list, index) => {
                checkField(container, containerPath(pod, list, index), containerLabel(container, list, index), violations);
            });
        });
    },
    kyverno() {
        const fieldOk = { "=(securityContext)": { "=(appArmorProfile)": { "=(type)": "RuntimeDefault | Localhost" } } };
        return [
            {
                name: "app-armor",
                match: matchPods(),
                validate: {
                    message:
                        "Specifying other AppArmor profiles is disallowed: container.apparmor.security.beta.kubernetes.io/* annotations, if set, must be `runtime/default` or `localhost/*`.",
                    pattern: {
                        "=(metadata)": {
                            "=(annotations)": { [`=(${APPARMOR_ANNOTATION_PREFIX}*)`]: "runtime/default | localhost/*" },
                        },
                    },
                },
            },
            {
                name: "app-armor-profile-type",
                match: matchPods(),
                validate: {
                    message:
                        "Specifying other AppArmor profiles is disallowed: appArmorProfile.type of spec.securityContext, spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset, `RuntimeDefault` or `Localhost`.",
                    pattern: {
                        spec: {
                            ...fieldOk,
                            "=(ephemeralContainers)": [fieldOk],
                            "=(initContainers)": [fieldOk],
                            containers: [fieldOk],
                        },
                    },
                },
            },
        ];
    },
};
