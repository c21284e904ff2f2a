// Setting schemas more than one rule declares. A rule's own settings are declared in its file.
import type { RuleContext, SettingSchema } from "./types";

/** A list of non-empty strings, e.g. registry or repository prefixes. */
export function stringList(description: string): SettingSchema {
    return { type: "array", items: { type: "string", minLength: 1 }, description };
}

/** The environment the stack deploys to; rules read it as `context.environment`. */
export const ENVIRONMENT_SETTING: SettingSchema = {
    type: "string",
    minLength: 1,
    description: "Environment the stack deploys to (dev, prod); default: the stack name.",
};

/**
 * A numeric setting as the rule reads it: the configured value when it is a number of the
 * schema's type, else the schema's default (the evaluator fills defaults in; the Kyverno
 * rendering and direct callers may pass none).
 */
export function numberSetting(context: RuleContext, name: string, schema: SettingSchema): number {
    const value = context.settings[name];
    const ok = schema.type === "integer" ? Number.isInteger(value) : typeof value === "number" && Number.isFinite(value);
    return ok ? (value as number) : (schema.default as number);
}
