import { disallowLatestTag } from "../../catalog/runtime/disallow-latest-tag";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowLatestTag, (c) => {
    c.compliant();
    c.pod(
        "passes a tagged image behind a registry port, a digest, and latest pinned by digest",
        (pod) => {
            pod.containers[0].image = "registry.local:5000/team/app:2.0";
            pod.containers[1].image = "ghcr.io/acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
            pod.initContainers[0].image = "ghcr.io/acme/app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        },
        [],
    );
    c.everyKind(
        "flags the latest tag",
        (pod) => (pod.containers[0].image = "ghcr.io/acme/app:latest"),
        (p) => [{ path: `${p}.containers[0].image`, message: 'container "app" uses image "ghcr.io/acme/app:latest" with the mutable tag "latest".' }],
    );
    c.pod(
        "fails when the image has no tag, including behind a registry port",
        (pod) => {
            pod.initContainers[0].image = "nginx";
            pod.ephemeralContainers[0].image = "registry.local:5000/team/debug";
        },
        [
            { path: "spec.initContainers[0].image", message: 'init container "migrate" uses image "nginx" without a tag; an image tag is required.' },
            {
                path: "spec.ephemeralContainers[0].image",
                message: 'ephemeral container "debug" uses image "registry.local:5000/team/debug" without a tag; an image tag is required.',
            },
        ],
    );
    c.pod(
        "fails when the tag is empty or the image is missing",
        (pod) => {
            pod.containers[0].image = "ghcr.io/acme/app:";
            delete pod.containers[1].image;
        },
        [
            { path: "spec.containers[0].image", message: 'container "app" uses image "ghcr.io/acme/app:" without a tag; an image tag is required.' },
            { path: "spec.containers[1].image", message: 'container "metrics" has no image (image is not set); an image with a tag is required.' },
        ],
    );
    c.pod('passes tags that merely contain "latest"', (pod) => (pod.containers[0].image = "ghcr.io/acme/app:latest-1.2"), []);
});
