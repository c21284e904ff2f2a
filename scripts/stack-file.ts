// Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to the program: this project's
// keys as plain values, `secure:` values as secrets that stay opaque (their ciphertext is never
// decrypted here, so tools see only that a secret is set).
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { CONFIG_NAMESPACE, suggest } from "../stacks/loader";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Stand-in handed to the program for a secret whose ciphertext cannot be read offline. */
export const OPAQUE_SECRET = "[secret]";

export interface StackFile {
    stack: string;
    file: string;
    /** Plain keys of this project, without namespace. */
    config: Record<string, unknown>;
    /** Secret keys of this project → OPAQUE_SECRET. */
    secrets: Record<string, string>;
}

export function stackFilePath(stack: string, root = PROJECT_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

export function readStackFile(stack: string, root = PROJECT_ROOT): StackFile {
    const file = stackFilePath(stack, root);
    if (!fs.existsSync(file)) {
        const known = listStacks(root);
        throw new Error(`no stack "${stack}": ${path.relative(process.cwd(), file) || file} does not exist; stacks here: ${known.join(", ") || "(none)"}`);
    }
    const raw = configOf(file);
    const config: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        const [namespace, key] = fullKey.includes(":") ? fullKey.split(/:(.*)/s, 2) : [CONFIG_NAMESPACE, fullKey];
        if (namespace !== CONFIG_NAMESPACE) continue;
        if (value !== null && typeof value === "object" && "secure" in (value as object)) secrets[key] = OPAQUE_SECRET;
        else config[key] = value;
    }
    return { stack, file, config, secrets };
}

/** A stack file's `config` mapping; throws naming the file when the YAML or its layout is wrong. */
function configOf(file: string): Record<string, unknown> {
    const relative = path.relative(process.cwd(), file);
    const shown = relative && !relative.startsWith("..") ? relative : file;
    const parsed = parseDocument(fs.readFileSync(file, "utf8"));
    if (parsed.errors.length > 0) {
        throw new Error(`${shown} is not valid YAML: ${parsed.errors.map((e) => e.message.split("\n")[0].replace(/:$/, "")).join("; ")}`);
    }
    const document: unknown = parsed.toJS() ?? {};
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
        throw new Error(`${shown} must be a mapping with a "config" key, as Pulumi writes stack files`);
    }
    const keys = Object.keys(document);
    if (!("config" in document)) {
        if (keys.length === 0) return {};
        throw new Error(`${shown} has no "config" mapping; its top-level keys are ${keys.map((k) => JSON.stringify(k)).join(", ")}${suggest("config", keys).replace(/ \(did you mean "(.*)"\?\)$/, `; "$1" looks like a misspelt "config"`)}; put the settings under "config:"`);
    }
    const config = (document as { config: unknown }).config ?? {};
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new Error(`${shown}: "config" ${JSON.stringify(config)} must be a mapping of settings, e.g. "gitops-hub:platform: …"`);
    }
    return config as Record<string, unknown>;
}

export function listStacks(root = PROJECT_ROOT): string[] {
    return fs.readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
