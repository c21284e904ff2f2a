// Setting schemas more than one rule declares. A rule's own settings are declared in its file.
import type { SettingSchema } from "./types";

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
