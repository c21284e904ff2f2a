// Image reference parsing shared by disallow-latest-tag and restrict-image-registries.

/** The parts of an image reference that the rules look at. */
export interface ImageReference {
    /** The tag after the last `:` of the last path segment, if any, e.g. `1.4.2`. */
    tag: string | undefined;
    /** Whether the reference pins a digest (`@sha256:…`). */
    digest: boolean;
}

/**
 * Splits `registry:5000/team/app:1.2@sha256:…` into tag and digest. A `:` before the last
 * `/` is a registry port, not a tag.
 */
export function parseImage(image: string): ImageReference {
    const at = image.indexOf("@");
    const name = at === -1 ? image : image.slice(0, at);
    const colon = name.lastIndexOf(":");
    const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
    return { tag, digest: at !== -1 };
}
