// Options every tenant subcommand shares.
import { Command, Option } from "commander";
import { PROJECT_ROOT } from "../stack-file";

export interface StackOptions {
    stack: string;
    root: string;
}

/** `edited`: the subcommand writes the stack file; `read`: it only reads it. */
export function withStackOptions(command: Command, use: "edited" | "read" = "edited"): Command {
    return command
        .requiredOption("-s, --stack <name>", `stack whose Pulumi.<stack>.yaml is ${use === "edited" ? "edited" : "read (never written)"}, e.g. dev`)
        .addOption(new Option("--root <dir>", "project directory holding the stack files").default(PROJECT_ROOT, "this project"));
}

export interface Io {
    out(line: string): void;
}

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[]) => [...previous, value];
