// Shared by the specs: run a stack under the recording engine and look resources up.
import { expect } from "chai";
import { RecordedResource, RunResult, runProgram } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";

export const TEST_VAULT_TOKEN = "hvs.test-token-never-printed";

/** Runs a committed stack file (with a test Vault token as its secret). */
export async function runStack(stack: string, overrides: { platform?: unknown; tenants?: unknown; secrets?: Record<string, string> } = {}): Promise<RunResult> {
    const file = readStackFile(stack);
    const config = { ...file.config };
    if (overrides.platform !== undefined) config.platform = overrides.platform;
    if (overrides.tenants !== undefined) config.tenants = overrides.tenants;
    return runProgram({ stack, config, secrets: overrides.secrets ?? { vaultToken: TEST_VAULT_TOKEN } });
}

/** Both committed stacks, tenants included. */
export async function recordStacks(): Promise<{ dev: RunResult; prod: RunResult }> {
    return { dev: await runStack("dev"), prod: await runStack("prod") };
}

/** Both committed hubs without tenants (what the hub's add-ons register on their own). */
export async function recordHubs(): Promise<{ dev: RunResult; prod: RunResult }> {
    return { dev: await runStack("dev", { tenants: [] }), prod: await runStack("prod", { tenants: [] }) };
}

export function byName(result: RunResult, type: string, name: string): RecordedResource {
    const found = result.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
}

export function ofType(result: RunResult, type: string): RecordedResource[] {
    return result.resources.filter((r) => r.type === type);
}

/** URN → resource, for parent and dependency assertions. */
export function urnIndex(result: RunResult): Map<string, RecordedResource> {
    return new Map(result.resources.map((r) => [r.urn, r]));
}

/** `type name` of the parent, or "(root)". */
export function parentOf(result: RunResult, resource: RecordedResource): string {
    if (!resource.parent) return "(root)";
    const parent = urnIndex(result).get(resource.parent);
    return parent ? `${parent.type} ${parent.name}` : `(unknown ${resource.parent})`;
}

/** Names of the resources this one depends on, as `type name`. */
export function dependencyNames(result: RunResult, resource: RecordedResource): string[] {
    const index = urnIndex(result);
    return resource.dependencies.map((urn) => {
        const dep = index.get(urn);
        return dep ? `${dep.type} ${dep.name}` : urn;
    }).sort();
}
