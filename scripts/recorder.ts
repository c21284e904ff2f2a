// The recording engine: runs the real program (index.ts) under Pulumi's mock runtime and
// records every registration request as the engine would receive it: type, name, parent,
// dependencies, protect/retainOnDelete, aliases and inputs (secret inputs stay marked). The
// tests, `npm run plan` and `npm run bench` all use it, so none of them re-implements what the
// program does.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** Pulumi's wire markers (sdk/nodejs/runtime/rpc.ts). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How a secret is shown anywhere the tools print, write or hand to a policy. */
export const SECRET_MASK = "[secret]";

/** A secret input as recorded: its value is kept for assertions, never printed by the tools. */
export class SecretValue {
    constructor(readonly value: unknown) {}
    toJSON(): string {
        return SECRET_MASK;
    }
}

/** An input that is not known until deployment (an output of another resource). */
export const UNKNOWN_VALUE = Object.freeze({ unknown: true, toJSON: () => "[unknown]" });

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent, or undefined for top-level resources. */
    parent?: string;
    custom: boolean;
    /** Provider reference (`urn::id`), when explicit. */
    provider?: string;
    /** URNs this resource waits for (dependsOn plus property dependencies). */
    dependencies: string[];
    protect: boolean;
    retainOnDelete: boolean;
    aliases: string[];
    ignoreChanges: string[];
    /** Inputs as plain data; secrets are `SecretValue`s, unknowns `UNKNOWN_VALUE`. */
    inputs: Record<string, unknown>;
    /** Dotted paths of every secret input, e.g. `token` or `values.server.dev.devRootToken`. */
    secretPaths: string[];
    /** True for resources the program reads rather than manages (a StackReference). */
    read?: boolean;
}

export interface RunOptions {
    /** Stack name, e.g. `dev`. */
    stack: string;
    /** Plain config: key without namespace (`platform`, `tenants`) → value. */
    config: Record<string, unknown>;
    /** Secret config: key → value. */
    secrets?: Record<string, string>;
    /** Outputs of stacks this one reads through a StackReference, by stack name. */
    stackReferences?: Record<string, Record<string, unknown>>;
    /** The module to run; @default the project's index.ts */
    program?: string;
    /** Project name. @default "gitops-hub" */
    project?: string;
    /** Called after each registration with the number recorded so far (progress at hundreds of tenants). */
    onRegister?: (count: number) => void;
}

export interface RunResult {
    resources: RecordedResource[];
    /** The program's exports, resolved; secret ones as `SecretValue`. */
    outputs: Record<string, unknown>;
}

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Runs the program once and returns what it registered. Throws what the program throws. */
export async function runProgram(options: RunOptions): Promise<RunResult> {
    const project = options.project ?? "gitops-hub";
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(options.config)) {
        config[`${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    for (const [key, value] of Object.entries(options.secrets ?? {})) {
        config[`${project}:${key}`] = value;
        secretKeys.push(`${project}:${key}`);
    }
    pulumi.runtime.setAllConfig(config, secretKeys);

    const references = options.stackReferences ?? {};
    await pulumi.runtime.setMocks({
        newResource(args) {
            if (args.type === "pulumi:pulumi:StackReference") {
                const stackName = String(args.inputs.name ?? args.name);
                const outputs = references[stackName];
                if (!outputs) throw new Error(`no outputs recorded for stack reference "${stackName}"`);
                return { id: stackName, state: { ...args.inputs, name: stackName, outputs, secretOutputNames: [] } };
            }
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call(args) {
            throw new Error(`unexpected provider function call ${args.token}`);
        },
    }, project, options.stack, false);

    const resources: RecordedResource[] = [];
    const failures: Error[] = [];
    const settings = require("@pulumi/pulumi/runtime/settings") as {
        getMonitor(): {
            registerResource(req: any, cb: (err: any, resp: any) => void): void;
            readResource(req: any, cb: (err: any, resp: any) => void): void;
        };
        waitForRPCs(): Promise<void>;
    };
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        register(req, (err: any, resp: any) => {
            if (err) failures.push(err);
            else resources.push(toRecord(req, resp.getUrn()));
            options.onRegister?.(resources.length);
            callback(err, resp);
        });
    };

    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req: any, callback: (err: any, resp: any) => void) => {
        read(req, (err: any, resp: any) => {
            if (err) failures.push(err);
            else resources.push(toReadRecord(req, resp.getUrn()));
            callback(err, resp);
        });
    };

    const programPath = path.resolve(options.program ?? path.join(PROJECT_ROOT, "index.ts"));
    clearProjectModules(path.dirname(programPath));
    // Like Pulumi's Node.js runtime: a program that exports a function is called, and what it
    // returns (or resolves to) is its outputs.
    const loaded = require(programPath) as unknown;
    const exported = (typeof loaded === "function" ? await (loaded as () => unknown)() : await loaded) as Record<string, unknown>;
    await settings.waitForRPCs();
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
        outputs[key] = await resolveOutput(value);
    }
    await settings.waitForRPCs();
    if (failures.length > 0) throw failures[0];
    return { resources, outputs };
}

/**
 * The program's modules are loaded afresh for every run, as a new `pulumi up` would: this
 * project's, and those of the program's own checkout when it lives elsewhere (`plan --diff <ref>`
 * runs the program of another commit from a temporary worktree).
 */
function clearProjectModules(programDir: string): void {
    const roots = [PROJECT_ROOT, programDir].map((dir) => `${dir}${path.sep}`);
    // The tools themselves (this recorder, the commands) stay loaded: their classes must stay the same.
    const tools = path.join(PROJECT_ROOT, "scripts") + path.sep;
    for (const id of Object.keys(require.cache)) {
        if (id.includes(`${path.sep}node_modules${path.sep}`) || id.startsWith(tools)) continue;
        if (roots.some((root) => id.startsWith(root))) delete require.cache[id];
    }
}

async function resolveOutput(value: unknown): Promise<unknown> {
    if (!pulumi.Output.isInstance(value)) return value;
    const output = value as pulumi.Output<unknown>;
    const [resolved, secret] = await Promise.all([
        new Promise((resolve) => output.apply((v) => { resolve(v); return v; })),
        pulumi.isSecret(output),
    ]);
    return secret ? new SecretValue(resolved) : resolved;
}

function toRecord(req: any, urn: string): RecordedResource {
    const secretPaths: string[] = [];
    const inputs = decode(req.getObject()?.toJavaScript() ?? {}, "", secretPaths) as Record<string, unknown>;
    const propertyDependencies: string[] = [];
    req.getPropertydependenciesMap?.().forEach((deps: any) => propertyDependencies.push(...deps.getUrnsList()));
    return {
        type: req.getType(),
        name: req.getName(),
        urn,
        parent: req.getParent() || undefined,
        custom: req.getCustom(),
        provider: req.getProvider() || undefined,
        dependencies: [...new Set([...req.getDependenciesList(), ...propertyDependencies])],
        protect: req.getProtect?.() ?? false,
        retainOnDelete: req.getRetainondelete?.() ?? false,
        aliases: (req.getAliasesList?.() ?? []).map((a: any) => (typeof a === "string" ? a : a.getUrn?.() || JSON.stringify(a.toObject?.() ?? a))),
        ignoreChanges: req.getIgnorechangesList?.() ?? [],
        inputs,
        secretPaths,
    };
}

function toReadRecord(req: any, urn: string): RecordedResource {
    const secretPaths: string[] = [];
    return {
        type: req.getType(),
        name: req.getName(),
        urn,
        parent: req.getParent() || undefined,
        custom: true,
        provider: req.getProvider() || undefined,
        dependencies: [...(req.getDependenciesList?.() ?? [])],
        protect: false,
        retainOnDelete: false,
        aliases: [],
        ignoreChanges: [],
        inputs: decode(req.getProperties()?.toJavaScript() ?? {}, "", secretPaths) as Record<string, unknown>,
        secretPaths,
        read: true,
    };
}

function decode(value: unknown, at: string, secretPaths: string[]): unknown {
    if (value === UNKNOWN) return UNKNOWN_VALUE;
    if (Array.isArray(value)) return value.map((v, i) => decode(v, `${at}[${i}]`, secretPaths));
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === SECRET_SIG) {
            secretPaths.push(at);
            return new SecretValue(decode(obj.value, at, []));
        }
        if (obj[SIG_KEY] === RESOURCE_SIG) return obj.urn;
        const out: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(obj)) out[key] = decode(v, at ? `${at}.${key}` : key, secretPaths);
        return out;
    }
    return value;
}

/** How a view of a recorded value shows what the recording marks. */
export interface RecordedView {
    /** What an unknown becomes. */
    unknown: unknown;
    /** What each leaf inside a secret becomes (a secret keeps its shape, so a secret mapping still shows its keys). @default the leaf itself */
    secretLeaf?: unknown;
    /** Sort object keys, for stable output. @default false */
    sortKeys?: boolean;
}

/** A recorded value with its secrets and unknowns shown as `view` says; the one walk over the recorder's markers. */
export function viewOf(value: unknown, view: RecordedView, insideSecret = false): unknown {
    if (value instanceof SecretValue) return viewOf(value.value, view, true);
    if (value === UNKNOWN_VALUE) return view.unknown;
    if (Array.isArray(value)) return value.map((v) => viewOf(v, view, insideSecret));
    if (value !== null && typeof value === "object") {
        const keys = Object.keys(value);
        const out: Record<string, unknown> = {};
        for (const key of view.sortKeys ? keys.sort() : keys) out[key] = viewOf((value as Record<string, unknown>)[key], view, insideSecret);
        return out;
    }
    return insideSecret && "secretLeaf" in view ? view.secretLeaf : value;
}

/**
 * Recorded inputs as the engine's analyzer hands them to a policy: plain data, a value unknown
 * until deployment as the engine's unknown sentinel (what @pulumi/policy calls
 * unknownStringValue). Secrets keep their shape but their values never reach a policy.
 */
export function policyInputs(value: unknown): unknown {
    return viewOf(value, { unknown: UNKNOWN, secretLeaf: SECRET_MASK });
}

/** Every secret found anywhere in a value, for "no secret in plain text" assertions. */
export function containsPlainText(value: unknown, secret: string): boolean {
    if (value instanceof SecretValue) return false;
    if (typeof value === "string") return value.includes(secret);
    if (Array.isArray(value)) return value.some((v) => containsPlainText(v, secret));
    if (value !== null && typeof value === "object") return Object.values(value).some((v) => containsPlainText(v, secret));
    return false;
}
