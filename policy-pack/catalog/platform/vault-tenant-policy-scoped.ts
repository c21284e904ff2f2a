import { TENANT_VAULT_POLICY_PREFIX, tenantVaultMount } from "../core/conventions";
import type { PlatformRule, PulumiResource, Violation } from "../core/types";
import { PolicyParseError, parseVaultPolicy } from "./vault-hcl";
import { show } from "../core/values";

/** A tenant's Vault policy grants its own KV v2 space only (data and metadata), never `sudo`. */
export const vaultTenantPolicyScoped: PlatformRule = {
    id: "vault-tenant-policy-scoped",
    scope: "platform",
    title: "Tenant Vault policies stay in the tenant's space",
    description: "A tenant's Vault policy grants paths under its own KV v2 mount (data/ and metadata/) only, and never the sudo capability.",
    severity: "critical",
    category: "Vault",
    framework: { bsi: ["APP.4.4.A3", "SYS.1.6.A8"] },
    remediation: "Write the tenant policy only for `tenants/<tenant>/data/*` and `tenants/<tenant>/metadata/*`, with capabilities among create, read, update, delete, list.",
    resourceTypes: ["vault:index/policy:Policy"],
    check(resource: PulumiResource): Violation[] {
        const name = resource.props.name;
        if (typeof name !== "string" || !name.startsWith(TENANT_VAULT_POLICY_PREFIX)) {
            return [];
        }
        const tenant = name.slice(TENANT_VAULT_POLICY_PREFIX.length);
        const mount = tenantVaultMount(tenant);
        const allowed = [`${mount}/data/`, `${mount}/metadata/`];
        const text = resource.props.policy;
        if (typeof text !== "string") {
            return [{ path: "policy", message: `policy is ${show(text)}; the policy document of ${name} must be HCL or JSON text.` }];
        }
        let parsed;
        try {
            parsed = parseVaultPolicy(text);
        } catch (e) {
            if (e instanceof PolicyParseError) {
                return [{ path: "policy", message: `policy of ${name} cannot be parsed: ${e.message}.` }];
            }
            throw e;
        }
        const violations: Violation[] = parsed.unexpected.map((construct) => ({
            path: "policy",
            message: `policy of ${name} contains ${show(construct)}; only path blocks are allowed.`,
        }));
        for (const entry of parsed.paths) {
            const where = entry.line > 0 ? ` (line ${entry.line})` : "";
            if (!allowed.some((prefix) => entry.path.startsWith(prefix))) {
                violations.push({
                    path: "policy",
                    message: `path ${show(entry.path)}${where} is outside ${allowed.join(" and ")}; a tenant policy may only grant the tenant's own secrets.`,
                });
            }
            if (entry.capabilities.includes("sudo")) {
                violations.push({ path: "policy", message: `path ${show(entry.path)}${where} grants "sudo"; tenant policies may not.` });
            }
        }
        return violations;
    },
};
