import type { PlatformRule, PulumiResource, Violation } from "../core/types";
import { show } from "../core/values";

function bound(value: unknown, field: string): Violation[] {
    if (!Array.isArray(value) || value.length === 0) {
        return [{ path: field, message: `${field} is ${show(value)}; it must list at least one explicit value.` }];
    }
    return value.flatMap((entry, index) =>
        typeof entry !== "string" || entry === "" || entry.includes("*")
            ? [{ path: `${field}[${index}]`, message: `${field}[${index}] is ${show(entry)}; wildcards and empty values bind the role to any service account.` }]
            : [],
    );
}

/** A Kubernetes-auth role names the service accounts and namespaces it trusts, and the token audience. */
export const vaultAuthRoleBound: PlatformRule = {
    id: "vault-auth-role-bound",
    scope: "platform",
    title: "Vault Kubernetes-auth roles are bound",
    description: "A Vault Kubernetes-auth role binds explicit service account names and namespaces (no wildcards) and requires an audience.",
    severity: "high",
    category: "Vault",
    framework: { bsi: ["APP.4.4.A9", "APP.4.4.A3"] },
    remediation: "Set boundServiceAccountNames and boundServiceAccountNamespaces to the exact service account and namespace, and audience to the audience the tokens are issued for (e.g. \"vault\").",
    resourceTypes: ["vault:kubernetes/authBackendRole:AuthBackendRole"],
    check(resource: PulumiResource): Violation[] {
        const { props } = resource;
        const violations = [
            ...bound(props.boundServiceAccountNames, "boundServiceAccountNames"),
            ...bound(props.boundServiceAccountNamespaces, "boundServiceAccountNamespaces"),
        ];
        if (typeof props.audience !== "string" || props.audience.trim() === "") {
            violations.push({ path: "audience", message: `audience is ${show(props.audience)}; a role must require the audience its tokens are issued for.` });
        }
        return violations;
    },
};
