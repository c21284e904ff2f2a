// Go duration strings (`2160h`, `1h30m`, `90m0s`), the format cert-manager uses for
// spec.duration and spec.renewBefore.

const UNIT_HOURS: Record<string, number> = {
    ns: 1 / 3.6e12,
    us: 1 / 3.6e9,
    "µs": 1 / 3.6e9,
    ms: 1 / 3.6e6,
    s: 1 / 3600,
    m: 1 / 60,
    h: 1,
};

/** A whole Go duration string as a regular expression (RE2 and JavaScript alike): what parseGoDurationHours accepts. */
export const GO_DURATION_PATTERN = "^(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+)$";

/** Hours in a Go duration string, or undefined if it is not one. */
export function parseGoDurationHours(text: string): number | undefined {
    if (text === "0") {
        return 0;
    }
    const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
    let hours = 0;
    let index = 0;
    let parts = 0;
    while (index < text.length) {
        part.lastIndex = index;
        const match = part.exec(text);
        if (!match) {
            return undefined;
        }
        hours += Number(match[1]) * UNIT_HOURS[match[2]];
        index = part.lastIndex;
        parts++;
    }
    return parts > 0 ? hours : undefined;
}
