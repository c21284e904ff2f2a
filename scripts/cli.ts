// What every command does with its arguments: commander parses them, and answers --help itself.
import { Command, CommanderError } from "commander";

/**
 * Parses `argv` with `program` (built with `exitOverride`). Returns undefined when the command
 * should go on, or the exit code when commander has answered: 0 after --help, 2 for bad usage.
 */
export function parseArguments(program: Command, argv: string[]): number | undefined {
    try {
        program.parse(argv, { from: "user" });
        return undefined;
    } catch (error) {
        if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
        throw error;
    }
}
