import { restrictImageRegistries } from "../../catalog/runtime/restrict-image-registries";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(restrictImageRegistries, (c) => {
    c.compliant();
    c.everyKind(
        "flags an image from Docker Hub",
        (pod) => (pod.containers[0].image = "docker.io/library/nginx:1.27"),
        (p) => [
            {
                path: `${p}.containers[0].image`,
                message: 'container "app" uses image "docker.io/library/nginx:1.27", which is not from an allowed registry (ghcr.io/acme/, registry.k8s.io/).',
            },
        ],
    );
    c.pod(
        "flags init and ephemeral containers, short names and look-alike prefixes",
        (pod) => {
            pod.initContainers[0].image = "busybox:1.36";
            pod.ephemeralContainers[0].image = "ghcr.io/acme-evil/debug:1.0";
        },
        [
            {
                path: "spec.initContainers[0].image",
                message: 'init container "migrate" uses image "busybox:1.36", which is not from an allowed registry (ghcr.io/acme/, registry.k8s.io/).',
            },
            {
                path: "spec.ephemeralContainers[0].image",
                message: 'ephemeral container "debug" uses image "ghcr.io/acme-evil/debug:1.0", which is not from an allowed registry (ghcr.io/acme/, registry.k8s.io/).',
            },
        ],
    );
    c.pod(
        "flags a container without an image",
        (pod) => delete pod.containers[1].image,
        [
            {
                path: "spec.containers[1].image",
                message: 'container "metrics" has no image (image is not set), so its registry cannot be verified against ghcr.io/acme/, registry.k8s.io/.',
            },
        ],
    );
});
