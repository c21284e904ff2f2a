// `npm run schema`: writes stacks/pulumi-stack.schema.json from the config schema.
import * as fs from "fs";
import * as path from "path";
import { buildStackFileSchema } from "../stacks/json-schema";

export const SCHEMA_FILE = path.resolve(__dirname, "..", "stacks", "pulumi-stack.schema.json");

export function renderSchema(): string {
    return `${JSON.stringify(buildStackFileSchema(), null, 2)}\n`;
}

if (require.main === module) {
    fs.writeFileSync(SCHEMA_FILE, renderSchema());
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
