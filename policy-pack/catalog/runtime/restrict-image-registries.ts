import type { RuleContext, RuntimeRule, Violation } from "../core/types";
import { BSI } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { containerLabel, containerPath, forEachContainer, podOf, POD_KINDS, quote } from "./pod";
import { stringList } from "../core/settings";

/** The configured registry prefixes, or `undefined` when none are (an empty list counts as none). */
function allowedRegistries(context: RuleContext): readonly string[] | undefined {
    const value = context.settings.allowedRegistries;
    if (!Array.isArray(value)) {
        return undefined;
    }
    // Runs once per manifest: only allocate when the list needs cleaning.
    const clean = value.every((prefix) => typeof prefix === "string" && prefix !== "");
    const prefixes = clean ? (value as string[]) : value.filter((prefix): prefix is string => typeof prefix === "string" && prefix !== "");
    return prefixes.length === 0 ? undefined : prefixes;
}

function startsWithAny(image: string, prefixes: readonly string[]): boolean {
    for (let i = 0; i < prefixes.length; i++) {
        if (image.startsWith(prefixes[i])) {
            return true;
        }
    }
    return false;
}

/**
 * Images of every kind of container must come from a registry in
 * `settings.allowedRegistries` (prefixes such as `"ghcr.io/acme/"`; end each with `/` so
 * `ghcr.io/acme` does not also admit `ghcr.io/acme-evil`). Fails closed: without an
 * allow-list no image can be verified, and the check says so once per workload.
 */
export const restrictImageRegistries: RuntimeRule = {
    id: "restrict-image-registries",
    scope: "runtime",
    title: "Restrict Image Registries",
    description: "Container images must come from the registries the platform trusts, configured in settings.allowedRegistries.",
    severity: "high",
    category: "Best Practices, EKS Best Practices",
    framework: { bsi: [BSI.imageDistribution, BSI.secureImages] },
    remediation:
        'Pull every image through an allowed registry (mirror it there if needed); platform admins list the registries as prefixes in the policy pack config, e.g. allowedRegistries: ["ghcr.io/acme/"].',
    settings: {
        allowedRegistries: stringList("Image registries (prefixes) images may come from, e.g. \"ghcr.io/acme/\"."),
    },
    kinds: [...POD_KINDS],
    check(manifest, context) {
        const pod = podOf(manifest);
        if (pod === undefined) {
            return [];
        }
        const prefixes = allowedRegistries(context);
        if (prefixes === undefined) {
            return [
                {
                    path: pod.path,
                    message: `No image can be verified because settings.allowedRegistries is ${quote(context.settings.allowedRegistries)}; configure the trusted registry prefixes, e.g. ["ghcr.io/acme/"].`,
                },
            ];
        }
        const violations: Violation[] = [];
        forEachContainer(pod, (container, list, index) => {
            const image = container.image;
            if (typeof image === "string" && startsWithAny(image, prefixes)) {
                return;
            }
            const who = containerLabel(container, list, index);
            violations.push({
                path: `${containerPath(pod, list, index)}.image`,
                message:
                    typeof image === "string"
                        ? `${who} uses image ${quote(image)}, which is not from an allowed registry (${prefixes.join(", ")}).`
                        : `${who} has no image (image is ${quote(image)}), so its registry cannot be verified against ${prefixes.join(", ")}.`,
            });
        });
        return violations;
    },
    kyverno(context) {
        const prefixes = allowedRegistries(context);
        if (prefixes === undefined) {
            throw new Error(
                `restrict-image-registries cannot render its ClusterPolicy: settings.allowedRegistries is ${quote(context.settings.allowedRegistries)}; set it to the trusted registry prefixes, e.g. ["ghcr.io/acme/"].`,
            );
        }
        const image = { image: prefixes.map((prefix) => `${prefix}*`).join(" | ") };
        return [
            {
                name: "validate-registries",
                match: matchPods(),
                validate: {
                    message: `Unknown image registry: images must come from ${prefixes.join(", ")}.`,
                    pattern: {
                        spec: {
                            "=(ephemeralContainers)": [image],
                            "=(initContainers)": [image],
                            containers: [image],
                        },
                    },
                },
            },
        ];
    },
};
