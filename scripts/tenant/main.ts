// `npm run tenant -- <add|set|app|repo|remove|show|list|kubeconfig> …`: onboards, changes and
// offboards tenants by editing Pulumi.<stack>.yaml in place (comments and order kept). The result
// is validated with the stack loader before it is written; on any error nothing is written and
// the exit code is 2.
import { Command, CommanderError } from "commander";
import { subcommands, UsageError } from "./commands";

export async function main(argv: string[]): Promise<number> {
    const io = { out: (line: string) => process.stdout.write(`${line}\n`) };
    const program = new Command("tenant")
        .description("onboard, change, show and offboard the tenants of a stack (edits Pulumi.<stack>.yaml in place)")
        .showHelpAfterError("(run with --help for usage)")
        .exitOverride();
    for (const make of subcommands) program.addCommand(make(io).exitOverride());
    try {
        await program.parseAsync(argv, { from: "user" });
        return 0;
    } catch (error) {
        if (error instanceof CommanderError) {
            // Help and version are not errors; every other commander error is bad usage.
            return error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.help" ? 0 : 2;
        }
        if (error instanceof UsageError) {
            process.stderr.write(`error: ${error.message}\n${error.problems.map((p) => `  - ${p}\n`).join("")}`);
            return 2;
        }
        throw error;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
        process.exitCode = 2;
    });
}
