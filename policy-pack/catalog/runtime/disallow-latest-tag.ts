import type { RuntimeRule } from "../core/types";
import { BSI } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { parseImage } from "./image";
import { containerLabel, containerPath, containerViolations, POD_KINDS, quote } from "./pod";

/**
 * Every kind of container must name an image with a tag other than `latest`: `latest` (or no
 * tag, which means `latest`) is mutable, so the same manifest can run different code. An image
 * pinned by digest needs no tag.
 */
export const disallowLatestTag: RuntimeRule = {
    id: "disallow-latest-tag",
    scope: "runtime",
    title: "Disallow Latest Tag",
    description: "Container images must carry an immutable tag or digest, never the mutable latest tag or no tag at all.",
    severity: "medium",
    category: "Best Practices",
    framework: { bsi: [BSI.imageRelease, BSI.secureImages] },
    remediation: 'Reference every image by a released version tag (e.g. "ghcr.io/acme/app:1.4.2") or by digest ("…@sha256:…").',
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            const image = container.image;
            const who = containerLabel(container, list, index);
            const path = `${containerPath(pod, list, index)}.image`;
            if (typeof image !== "string" || image === "") {
                violations.push({ path, message: `${who} has no image (image is ${quote(image)}); an image with a tag is required.` });
                return;
            }
            const { tag, digest } = parseImage(image);
            if (digest) {
                return;
            }
            if (tag === undefined || tag === "") {
                violations.push({ path, message: `${who} uses image ${quote(image)} without a tag; an image tag is required.` });
            } else if (tag === "latest") {
                violations.push({ path, message: `${who} uses image ${quote(image)} with the mutable tag "latest".` });
            }
        });
    },
    kyverno() {
        const lists = ["containers", "initContainers", "ephemeralContainers"];
        return [
            {
                name: "require-image-tag",
                match: matchPods(),
                validate: {
                    message: "An image tag is required.",
                    foreach: lists.map((list) => ({ list: `request.object.spec.${list}`, pattern: { image: "*:*" } })),
                },
            },
            {
                name: "validate-image-tag",
                match: matchPods(),
                validate: {
                    message: "Using a mutable image tag e.g. 'latest' is not allowed.",
                    foreach: lists.map((list) => ({ list: `request.object.spec.${list}`, pattern: { image: "!*:latest" } })),
                },
            },
        ];
    },
};
