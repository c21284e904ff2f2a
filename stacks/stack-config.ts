// The Pulumi side of the loader: reads this project's keys from the stack's config once and
// hands them to `parseStackConfig`. Secret values never leave Pulumi's `Output`s.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, CONFIG_NAMESPACE, ConfigError, RawStackConfig, parseStackConfig } from "./loader";
import type { StackConfig } from "./schema";

export interface StackSecrets {
    /** Vault admin token (`gitops-hub:vaultToken`), when set; otherwise the provider reads VAULT_TOKEN. */
    vaultToken?: pulumi.Output<string>;
}

export interface LoadedStack {
    config: StackConfig;
    secrets: StackSecrets;
}

/** Reads and validates the stack's config; throws `ConfigError` listing every problem. */
export function loadStack(raw: RawStackConfig = readRawStackConfig()): LoadedStack {
    return { config: parseStackConfig(raw), secrets: readSecrets(raw) };
}

/** The secrets a stack sets, as Pulumi secret Outputs. */
export function readSecrets(raw: RawStackConfig): StackSecrets {
    const cfg = new pulumi.Config(CONFIG_NAMESPACE);
    return { vaultToken: raw.secretsSet.has("vaultToken") ? cfg.requireSecret("vaultToken") : undefined };
}

/** This project's keys of the stack's config, plain values parsed, secrets only named. */
export function readRawStackConfig(): RawStackConfig {
    const all = pulumi.runtime.allConfig();
    const values: Record<string, unknown> = {};
    const secretsSet = new Set<string>();
    const problems: string[] = [];
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, key] = splitKey(fullKey);
        if (namespace !== CONFIG_NAMESPACE) continue;
        const meta = (CONFIG_KEYS as Record<string, { secret: boolean }>)[key];
        if (meta?.secret && isConfigSecret(fullKey)) {
            secretsSet.add(key);
            continue;
        }
        values[key] = parseValue(text, key, problems);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return { values, secretsSet };
}

// The SDK exports this at run time but marks it @internal, so its typings leave it out. It
// answers from PULUMI_CONFIG_SECRET_KEYS, which the engine (and the mock runtime) sets.
const isConfigSecret: (key: string) => boolean = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

function splitKey(fullKey: string): [string, string] {
    const index = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, index);
    // The engine hands keys as `project:config:key` in older CLIs and `project:key` in newer ones.
    const rest = fullKey.slice(index + 1);
    return [namespace, rest.startsWith("config:") ? rest.slice("config:".length) : rest];
}

/** Keys whose values are mappings or lists. */
const STRUCTURED_KEYS = ["platform", "tenants"];

function parseValue(text: string, key: string, problems: string[]): unknown {
    // Structured values arrive as JSON text; plain strings as themselves. A key set to nothing
    // (`gitops-hub:tenants:` alone, YAML's null) arrives as "null" or "": it is not set.
    const trimmed = text.trim();
    if (STRUCTURED_KEYS.includes(key) && (trimmed === "" || trimmed === "null")) return undefined;
    if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return text;
    try {
        return JSON.parse(trimmed);
    } catch (error) {
        problems.push(`${CONFIG_NAMESPACE}:${key} is not valid structured config (${(error as Error).message}); check the YAML in Pulumi.<stack>.yaml`);
        return undefined;
    }
}
