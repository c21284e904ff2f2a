// Secret chart values stay secret after rendering: helm needs them in plain text (in a private,
// short-lived values file), but every rendered string that carries one (as is, or base64
// encoded) is marked secret again, and every message is redacted, before anything is printed,
// written or handed to a policy.
import { SecretValue } from "../../recorder";
import { MASK } from "../model";

/** The plain strings behind every secret in a value (with their base64 forms, as charts `b64enc` them). */
export function secretStrings(value: unknown, inside = false): string[] {
    if (value instanceof SecretValue) return secretStrings(value.value, true);
    if (Array.isArray(value)) return value.flatMap((v) => secretStrings(v, inside));
    if (value !== null && typeof value === "object") return Object.values(value).flatMap((v) => secretStrings(v, inside));
    if (!inside || value === undefined || value === null) return [];
    const text = String(value);
    // Shorter strings are no credential and would redact half of every message.
    if (text.length < 4) return [];
    return [text, Buffer.from(text, "utf8").toString("base64")];
}

const carries = (text: string, secrets: string[]) => secrets.some((s) => text.includes(s));

/** A rendered value with every string that carries a secret wrapped as a SecretValue. */
export function markSecrets(value: unknown, secrets: string[]): unknown {
    if (secrets.length === 0 || value instanceof SecretValue) return value;
    if (typeof value === "string") return carries(value, secrets) ? new SecretValue(value) : value;
    if (Array.isArray(value)) return value.map((v) => markSecrets(v, secrets));
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markSecrets(v, secrets)]));
    return value;
}

/** A message with every secret (and its base64 form) replaced by `[secret]`. */
export function redact(text: string, secrets: string[]): string {
    return [...secrets].sort((a, b) => b.length - a.length).reduce((out, s) => out.split(s).join(MASK), text);
}
