// JSON pointers (what ajv reports) as the field paths this project prints everywhere
// (`spec.template.spec.containers[0].name`), and the value a pointer leads to.

const parts = (pointer: string) => pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));

export function pathOf(pointer: string): string {
    return parts(pointer).reduce((at, part) => (/^\d+$/.test(part) ? `${at}[${part}]` : at ? `${at}.${part}` : part), "");
}

export function valueAt(instance: unknown, pointer: string): unknown {
    let current = instance;
    for (const part of parts(pointer)) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string, unknown>)[part];
    }
    return current;
}
