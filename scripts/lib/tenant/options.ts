// Options every tenant subcommand shares.
import { Command, Option } from "commander";
import { PROJECT_ROOT } from "../stack-file";

export interface StackOptions {
    stack: string;
    root: string;
}

export function withStackOptions(command: Command): Command {
    return command
        .requiredOption("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml is edited, e.g. dev")
        .addOption(new Option("--root <dir>", "project directory holding the stack files").default(PROJECT_ROOT, "this project"));
}

export interface Io {
    out(line: string): void;
}
