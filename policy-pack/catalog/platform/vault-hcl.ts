// A reader for Vault ACL policies: HCL (`path "…" { capabilities = [...] }`) or the equivalent
// JSON. It understands comments (#, //, /* */), escaped strings, heredocs, nested blocks and
// the legacy `policy = "…"` form, and reports anything else as an error rather than skipping it.

export interface PolicyPath {
    /** The path glob, as written. */
    path: string;
    /** Capabilities granted; the legacy `policy = "read"|"write"|"sudo"|"deny"` form is mapped to its capabilities. */
    capabilities: string[];
    /** 1-based line of the block (0 for JSON policies). */
    line: number;
}

export interface ParsedPolicy {
    paths: PolicyPath[];
    /** Top-level constructs that are not `path` blocks (Vault rejects them; we report them). */
    unexpected: string[];
}

export class PolicyParseError extends Error {}

type Token = { kind: "string" | "ident" | "number" | "punct"; text: string; line: number };

const LEGACY_POLICY: Record<string, string[]> = {
    deny: ["deny"],
    read: ["read", "list"],
    write: ["create", "read", "update", "delete", "list"],
    sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let line = 1;
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === "\n") {
            line++;
            i++;
        } else if (/\s/.test(c)) {
            i++;
        } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
            while (i < text.length && text[i] !== "\n") i++;
        } else if (c === "/" && text[i + 1] === "*") {
            const end = text.indexOf("*/", i + 2);
            if (end < 0) throw new PolicyParseError(`unterminated comment on line ${line}`);
            line += text.slice(i, end).split("\n").length - 1;
            i = end + 2;
        } else if (c === '"') {
            let value = "";
            const start = line;
            i++;
            for (;;) {
                if (i >= text.length || text[i] === "\n") throw new PolicyParseError(`unterminated string on line ${start}`);
                const d = text[i];
                if (d === '"') break;
                if (d === "\\") {
                    const e = text[i + 1];
                    value += e === "n" ? "\n" : e === "t" ? "\t" : e;
                    i += 2;
                } else {
                    value += d;
                    i++;
                }
            }
            i++;
            tokens.push({ kind: "string", text: value, line: start });
        } else if (c === "<" && text[i + 1] === "<") {
            const header = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i));
            if (!header) throw new PolicyParseError(`malformed heredoc on line ${line}`);
            const bodyStart = i + header[0].length;
            const terminator = new RegExp(`^[ \\t]*${header[1]}[ \\t]*$`, "m");
            const rest = text.slice(bodyStart);
            const end = terminator.exec(rest);
            if (!end) throw new PolicyParseError(`unterminated heredoc on line ${line}`);
            tokens.push({ kind: "string", text: rest.slice(0, end.index).replace(/\r?\n$/, ""), line });
            line += header[0].split("\n").length - 1 + rest.slice(0, end.index + end[0].length).split("\n").length - 1;
            i = bodyStart + end.index + end[0].length;
        } else if (/[A-Za-z_]/.test(c)) {
            const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(i))!;
            tokens.push({ kind: "ident", text: match[0], line });
            i += match[0].length;
        } else if (/[0-9-]/.test(c)) {
            const match = /^-?[0-9][0-9a-zA-Z.]*/.exec(text.slice(i));
            if (!match) throw new PolicyParseError(`unexpected "${c}" on line ${line}`);
            tokens.push({ kind: "number", text: match[0], line });
            i += match[0].length;
        } else if ("{}[]=,:".includes(c)) {
            tokens.push({ kind: "punct", text: c, line });
            i++;
        } else {
            throw new PolicyParseError(`unexpected "${c}" on line ${line}`);
        }
    }
    return tokens;
}

type Value = string | Value[] | { [key: string]: Value };
type Item = { kind: "block"; type: string; labels: string[]; body: Item[]; line: number } | { kind: "attribute"; name: string; value: Value; line: number };

class Parser {
    private index = 0;
    constructor(private readonly tokens: Token[]) {}

    private peek(): Token | undefined {
        return this.tokens[this.index];
    }

    private next(): Token {
        const token = this.tokens[this.index++];
        if (!token) throw new PolicyParseError("unexpected end of policy");
        return token;
    }

    private expect(text: string): void {
        const token = this.next();
        if (token.kind !== "punct" || token.text !== text) {
            throw new PolicyParseError(`expected "${text}" but found "${token.text}" on line ${token.line}`);
        }
    }

    body(closing: boolean): Item[] {
        const items: Item[] = [];
        for (;;) {
            const token = this.peek();
            if (!token) {
                if (closing) throw new PolicyParseError("missing closing \"}\"");
                return items;
            }
            if (token.kind === "punct" && token.text === "}") {
                if (!closing) throw new PolicyParseError(`unexpected "}" on line ${token.line}`);
                this.index++;
                return items;
            }
            if (token.kind === "punct" && token.text === ",") {
                this.index++;
                continue;
            }
            const name = this.next();
            if (name.kind !== "ident" && name.kind !== "string") {
                throw new PolicyParseError(`unexpected "${name.text}" on line ${name.line}`);
            }
            const after = this.peek();
            if (after?.kind === "punct" && (after.text === "=" || after.text === ":")) {
                this.index++;
                items.push({ kind: "attribute", name: name.text, value: this.value(), line: name.line });
                continue;
            }
            const labels: string[] = [];
            while (this.peek()?.kind === "string" || this.peek()?.kind === "ident") {
                labels.push(this.next().text);
            }
            this.expect("{");
            items.push({ kind: "block", type: name.text, labels, body: this.body(true), line: name.line });
        }
    }

    private value(): Value {
        const token = this.next();
        if (token.kind === "string" || token.kind === "ident" || token.kind === "number") {
            return token.text;
        }
        if (token.text === "[") {
            const list: Value[] = [];
            for (;;) {
                const next = this.peek();
                if (next?.kind === "punct" && next.text === "]") {
                    this.index++;
                    return list;
                }
                if (next?.kind === "punct" && next.text === ",") {
                    this.index++;
                    continue;
                }
                list.push(this.value());
            }
        }
        if (token.text === "{") {
            const object: { [key: string]: Value } = {};
            for (const item of this.body(true)) {
                object[item.kind === "attribute" ? item.name : item.type] = item.kind === "attribute" ? item.value : "{block}";
            }
            return object;
        }
        throw new PolicyParseError(`unexpected "${token.text}" on line ${token.line}`);
    }
}

function capabilitiesOf(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === "string").map((c) => c.toLowerCase()) : [];
}

function legacy(value: unknown): string[] {
    return typeof value === "string" ? LEGACY_POLICY[value.toLowerCase()] ?? [value.toLowerCase()] : [];
}

function parseJson(text: string): ParsedPolicy {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (e) {
        throw new PolicyParseError(`invalid JSON policy: ${(e as Error).message}`);
    }
    const result: ParsedPolicy = { paths: [], unexpected: [] };
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
        throw new PolicyParseError("a JSON policy must be an object");
    }
    for (const [top, blocks] of Object.entries(document)) {
        if (top !== "path") {
            result.unexpected.push(top);
            continue;
        }
        const list = Array.isArray(blocks) ? blocks : [blocks];
        for (const entry of list) {
            for (const [path, body] of Object.entries((entry ?? {}) as Record<string, Record<string, unknown>>)) {
                result.paths.push({ path, capabilities: [...capabilitiesOf(body?.capabilities), ...legacy(body?.policy)], line: 0 });
            }
        }
    }
    return result;
}

/** Parses a Vault ACL policy document (HCL or JSON). Throws PolicyParseError on anything malformed. */
export function parseVaultPolicy(text: string): ParsedPolicy {
    if (text.trimStart().startsWith("{")) {
        return parseJson(text);
    }
    const result: ParsedPolicy = { paths: [], unexpected: [] };
    for (const item of new Parser(tokenize(text)).body(false)) {
        if (item.kind !== "block" || item.type !== "path" || item.labels.length !== 1) {
            result.unexpected.push(item.kind === "block" ? `${item.type} ${item.labels.map((l) => JSON.stringify(l)).join(" ")}`.trim() : `${item.name} =`);
            continue;
        }
        const capabilities: string[] = [];
        for (const attribute of item.body) {
            if (attribute.kind === "attribute" && attribute.name === "capabilities") capabilities.push(...capabilitiesOf(attribute.value));
            if (attribute.kind === "attribute" && attribute.name === "policy") capabilities.push(...legacy(attribute.value));
        }
        result.paths.push({ path: item.labels[0], capabilities, line: item.line });
    }
    return result;
}
