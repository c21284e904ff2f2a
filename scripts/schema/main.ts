// `npm run schema`: writes stacks/pulumi-stack.schema.json from the config schema.
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { parseArguments } from "../cli";
import { buildStackFileSchema } from "../../stacks/json-schema";

export const SCHEMA_FILE = path.resolve(__dirname, "..", "..", "stacks", "pulumi-stack.schema.json");

export function renderSchema(): string {
    return `${JSON.stringify(buildStackFileSchema(), null, 2)}\n`;
}

export function main(argv: string[]): number {
    const program = new Command("schema")
        .description(`write the editor JSON Schema of the stack files (${path.relative(process.cwd(), SCHEMA_FILE) || SCHEMA_FILE}) from the config schema in stacks/schema.ts`)
        .option("--check", "write nothing; exit 1 when the committed file is out of date")
        .exitOverride();
    const answered = parseArguments(program, argv);
    if (answered !== undefined) return answered;
    const shown = path.relative(process.cwd(), SCHEMA_FILE) || SCHEMA_FILE;
    const schema = renderSchema();
    if (fs.existsSync(SCHEMA_FILE) && fs.readFileSync(SCHEMA_FILE, "utf8") === schema) {
        console.log(`${shown} is up to date; nothing written`);
        return 0;
    }
    if (program.opts<{ check?: boolean }>().check) {
        console.log(`${shown} is out of date; run npm run schema`);
        return 1;
    }
    fs.writeFileSync(SCHEMA_FILE, schema);
    console.log(`wrote ${shown}`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
