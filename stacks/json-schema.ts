// A JSON Schema for `Pulumi.<stack>.yaml`, generated from the same zod schema the loader
// uses, so editors (yaml-language-server) flag typos and wrong types while typing. Fields
// that per-environment defaults fill in are optional here, as they are in the file.
import { z } from "zod";
import { ACME_DEFAULTS, isPlainObject, platformDefaults, tenantDefaults } from "./defaults";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "./loader";
import { platformSchema, tenantSchema } from "./schema";

type JsonSchema = Record<string, unknown>;

export function buildStackFileSchema(): JsonSchema {
    const platform = relax(z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }) as JsonSchema,
        mergeShapes(mergeShapes(platformDefaults("dev"), platformDefaults("prod")), { certManager: { issuer: ACME_DEFAULTS } }));
    const tenant = relax(z.toJSONSchema(tenantSchema, { io: "input", unrepresentable: "any" }) as JsonSchema,
        mergeShapes(tenantDefaults("dev"), tenantDefaults("prod")));
    delete platform.$schema;
    delete tenant.$schema;
    return {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        title: "gitops-hub stack config (Pulumi.<stack>.yaml)",
        type: "object",
        properties: {
            config: {
                type: "object",
                properties: {
                    [`${CONFIG_NAMESPACE}:platform`]: platform,
                    [`${CONFIG_NAMESPACE}:tenants`]: { type: "array", items: tenant },
                    [`${CONFIG_NAMESPACE}:hubStack`]: {
                        description: "Tenant shard stacks only: the hub stack to read the platform from, e.g. acme/gitops-hub/prod.",
                        type: "string",
                    },
                    [`${CONFIG_NAMESPACE}:vaultToken`]: {
                        description: "Vault admin token; set with `pulumi config set --secret`, never in plain text.",
                        type: "object",
                        properties: { secure: { type: "string" } },
                        required: ["secure"],
                    },
                },
                // Other projects' and providers' keys (kubernetes:context, vault:…) may appear too,
                // but a key of this project that is not one of the above is a typo
                // (gitops-hub:tenant, gitops-hub:platfrom), and so is an unqualified one, which
                // Pulumi reads as this project's.
                propertyNames: {
                    anyOf: [
                        { enum: Object.keys(CONFIG_KEYS).map((key) => `${CONFIG_NAMESPACE}:${key}`) },
                        { pattern: "^[^:]+:", not: { pattern: `^${CONFIG_NAMESPACE}:` } },
                    ],
                },
                additionalProperties: true,
            },
            encryptionsalt: { type: "string" },
            secretsprovider: { type: "string" },
            encryptedkey: { type: "string" },
            environment: {},
        },
    };
}

/** Drops `required` entries for keys the defaults fill in (recursively, along the defaults tree). */
function relax(schema: JsonSchema, defaults: Record<string, unknown>): JsonSchema {
    if (Array.isArray(schema.required)) {
        schema.required = (schema.required as string[]).filter((key) => !(key in defaults));
        if ((schema.required as string[]).length === 0) delete schema.required;
    }
    const properties = schema.properties as Record<string, JsonSchema> | undefined;
    if (properties) {
        for (const [key, child] of Object.entries(properties)) {
            const sub = defaults[key];
            if (isPlainObject(sub)) relax(child, sub);
        }
    }
    for (const key of ["anyOf", "oneOf"]) {
        const options = schema[key] as JsonSchema[] | undefined;
        options?.forEach((option) => relax(option, defaults));
    }
    return schema;
}

function mergeShapes(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
        out[key] = isPlainObject(out[key]) && isPlainObject(value) ? mergeShapes(out[key] as Record<string, unknown>, value) : value;
    }
    return out;
}
