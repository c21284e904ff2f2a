// `tenant kubeconfig <name> --stack <s> [--write <file>]`: how a tenant member gets the kubeconfig
// of the team's vCluster. It lives in the tenant's own Vault space (pushed there by External
// Secrets, components/tenant/exposure.ts), so reading it takes the caller's own Vault token with
// the policy tenant-<name>; this command never holds any other credential.
// Without --write it prints the Vault CLI command; with --write it reads Vault's KV v2 API
// (VAULT_ADDR, VAULT_TOKEN, optionally VAULT_CACERT) and writes the file with mode 0600.
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { Command } from "commander";
import { isExposed, kubeconfigReadCommand } from "../../components/tenant/exposure";
import { KUBECONFIG_FIELD, KUBECONFIG_PUSH_SECRET, kubeconfigVaultPath, tenantApiHost } from "../../components/tenant/naming";
import { tenantNamespace, tenantVaultPolicy } from "../../policy-pack/catalog/core/conventions";
import { ConfigError, parseStackConfig, suggest } from "../../stacks/loader";
import type { StackConfig } from "../../stacks/schema";
import { readStackFile } from "../stack-file";
import { UsageError } from "./errors";
import { Io, StackOptions, withStackOptions } from "./options";

/** How long to wait for Vault before giving up. */
export const VAULT_TIMEOUT_MS = 15_000;

export interface KubeconfigOptions extends StackOptions {
    /** File to write the kubeconfig to (mode 0600); without it, the Vault command is printed. */
    write?: string;
}

/** The environment the command reads: the Vault CLI's own variables. */
export interface VaultEnv {
    VAULT_ADDR?: string;
    VAULT_TOKEN?: string;
    VAULT_CACERT?: string;
}

/** A failure the caller can fix; printed as `error: <message>` with exit code 2, never with the token. */
export class KubeconfigError extends UsageError {}

export async function kubeconfig(name: string, options: KubeconfigOptions, io: Io, env: VaultEnv = process.env): Promise<void> {
    const config = loadStack(options);
    const tenant = config.tenants.find((t) => t.name === name);
    if (!tenant) {
        const names = config.tenants.map((t) => t.name);
        throw new KubeconfigError(`no tenant "${name}" in stack "${options.stack}"${suggest(name, names)}; tenants there: ${names.join(", ") || "(none)"}`);
    }
    if (!isExposed(tenant, config.platform.exposure)) {
        const index = config.tenants.indexOf(tenant);
        const why = tenant.state !== "active" ? `it is ${tenant.state}`
            : config.platform.exposure.mode === "none" ? `platform.exposure.mode is "none"`
            : `tenants[${index}].exposure.enabled is false`;
        throw new KubeconfigError(`tenant "${name}" in stack "${options.stack}" is not reachable from outside the hub (${why}), so no kubeconfig is pushed to Vault; set tenants[${index}].exposure.enabled to true (with a platform.exposure.mode) and run pulumi up`);
    }
    if (options.write === undefined) {
        io.out(kubeconfigReadCommand(name));
        return;
    }
    const address = (env.VAULT_ADDR ?? "").trim().replace(/\/+$/, "");
    if (address === "") {
        throw new KubeconfigError(`VAULT_ADDR is not set; export the address of the platform's Vault, e.g. export VAULT_ADDR=https://vault.example.com:8200`);
    }
    if (!/^https?:\/\/[^\s/]+/.test(address)) {
        throw new KubeconfigError(`VAULT_ADDR "${address}" is not an http(s):// URL; e.g. export VAULT_ADDR=https://vault.example.com:8200`);
    }
    const token = (env.VAULT_TOKEN ?? "").trim();
    if (token === "") {
        throw new KubeconfigError(`VAULT_TOKEN is not set; log in to Vault as yourself (e.g. vault login -method=oidc) and export VAULT_TOKEN=$(vault print token)`);
    }
    const content = await readKubeconfig(name, address, token, env.VAULT_CACERT);
    const file = path.resolve(options.write);
    writePrivateFile(file, content);
    io.out(`wrote the kubeconfig of tenant "${name}" (https://${tenantApiHost(name, config.platform.domain)}) to ${file} (mode 0600); try: KUBECONFIG=${file} kubectl get pods -A`);
}

function loadStack(options: StackOptions): StackConfig {
    let file;
    try {
        file = readStackFile(options.stack, options.root);
    } catch (error) {
        throw new KubeconfigError((error as Error).message);
    }
    try {
        return parseStackConfig({ values: file.config, secretsSet: new Set(Object.keys(file.secrets)) });
    } catch (error) {
        if (error instanceof ConfigError) throw new KubeconfigError(`the config of stack "${options.stack}" is invalid`, error.problems);
        throw error;
    }
}

interface VaultResponse {
    status: number;
    body: string;
}

/** GET /v1/tenants/<t>/data/kubeconfig with the caller's token; returns the `config` field. */
async function readKubeconfig(tenant: string, address: string, token: string, caCertFile: string | undefined): Promise<string> {
    const vaultPath = kubeconfigVaultPath(tenant);
    const url = `${address}/v1/${vaultPath}`;
    let ca: Buffer | undefined;
    if (caCertFile) {
        try {
            ca = fs.readFileSync(caCertFile);
        } catch (error) {
            throw new KubeconfigError(`VAULT_CACERT ${caCertFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
    }
    let response: VaultResponse;
    try {
        response = await get(url, { "X-Vault-Token": token, "X-Vault-Request": "true" }, ca);
    } catch (error) {
        const e = error as NodeJS.ErrnoException;
        throw new KubeconfigError(`cannot reach Vault at ${address}: ${e.code ?? "error"} (${e.message}); check VAULT_ADDR and that your route to Vault (VPN, port-forward) is up`);
    }
    switch (response.status) {
        case 200:
            break;
        case 403:
            throw new KubeconfigError(`Vault at ${address} denied ${vaultPath} (403): your token's policy does not grant ${vaultPath}; ask a platform admin for the Vault policy ${tenantVaultPolicy(tenant)}`);
        case 404:
            throw new KubeconfigError(`no kubeconfig at ${vaultPath} in Vault at ${address} (404): it has not been pushed yet; check the PushSecret status with kubectl -n ${tenantNamespace(tenant)} get pushsecret ${KUBECONFIG_PUSH_SECRET}`);
        default:
            throw new KubeconfigError(`Vault at ${address} answered ${response.status} for ${vaultPath}: ${vaultErrors(response.body)}`);
    }
    let field: unknown;
    try {
        field = (JSON.parse(response.body) as { data?: { data?: Record<string, unknown> } }).data?.data?.[KUBECONFIG_FIELD];
    } catch {
        throw new KubeconfigError(`Vault at ${address} answered ${vaultPath} with something that is not JSON; is VAULT_ADDR the Vault API?`);
    }
    if (typeof field !== "string" || field === "") {
        throw new KubeconfigError(`${vaultPath} in Vault at ${address} has no field "${KUBECONFIG_FIELD}"; check the PushSecret with kubectl -n ${tenantNamespace(tenant)} get pushsecret ${KUBECONFIG_PUSH_SECRET}`);
    }
    return field;
}

function vaultErrors(body: string): string {
    try {
        const errors = (JSON.parse(body) as { errors?: unknown }).errors;
        if (Array.isArray(errors) && errors.length > 0) return errors.map(String).join("; ");
    } catch {
        // not JSON: fall through
    }
    return body.trim().slice(0, 200) || "(empty body)";
}

function get(url: string, headers: Record<string, string>, ca: Buffer | undefined): Promise<VaultResponse> {
    return new Promise((resolve, reject) => {
        const client = url.startsWith("https:") ? https : http;
        const request = client.get(url, { headers, timeout: VAULT_TIMEOUT_MS, ...(ca ? { ca } : {}) }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            response.on("error", reject);
        });
        request.on("timeout", () => {
            const error: NodeJS.ErrnoException = new Error(`no answer within ${VAULT_TIMEOUT_MS / 1000}s`);
            error.code = "ETIMEDOUT";
            request.destroy(error);
        });
        request.on("error", reject);
    });
}

/**
 * Writes `content` so that only the owner can read it: created with mode 0600, and chmod-ed
 * before any byte is written in case the file existed with a wider mode.
 */
export function writePrivateFile(file: string, content: string): void {
    let fd: number;
    try {
        fd = fs.openSync(file, "w", 0o600);
    } catch (error) {
        throw new KubeconfigError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
        fs.fchmodSync(fd, 0o600);
        fs.writeFileSync(fd, content);
    } finally {
        fs.closeSync(fd);
    }
}

export function kubeconfigCommand(io: Io): Command {
    return withStackOptions(new Command("kubeconfig"), "read")
        .description("get the kubeconfig of a tenant's vCluster from the tenant's Vault space (needs Vault policy tenant-<name>)")
        .argument("<name>", "tenant name")
        .option("-w, --write <file>", "fetch it with VAULT_ADDR and VAULT_TOKEN and write it to <file> (mode 0600); without it, print the vault command")
        .action((name: string, options: KubeconfigOptions) => kubeconfig(name, options, io));
}
