import { TENANT_LABEL, TENANT_STATE_LABEL, tenantNamespace, tenantVaultPolicy } from "../core/conventions";
import type { PulumiResource, StackRule, StackViolation } from "../core/types";
import { asString, dig, isHelmChartNamed, key, show } from "../core/values";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const APP_PROJECT = "kubernetes:argoproj.io/v1alpha1:AppProject";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const VAULT_POLICY = "vault:index/policy:Policy";

/**
 * A tenant is onboarded whole or not at all: its namespace comes with the AppProject that confines
 * its deployments, the vCluster it gets as its API, the NetworkPolicy that isolates the namespace
 * and the Vault policy that scopes its secrets.
 */
export const tenantComplete: StackRule = {
    id: "tenant-complete",
    scope: "stack",
    title: "Tenants are complete",
    description: "Every active tenant namespace has its AppProject, its vCluster chart, a NetworkPolicy and its Vault policy.",
    severity: "high",
    category: "Multi-Tenancy",
    framework: { bsi: ["APP.4.4.A1", "APP.4.4.A7", "APP.4.4.A15"] },
    remediation: "Onboard tenants through the stack's tenants config (one Tenant component each) rather than creating their pieces by hand.",
    check(resources: PulumiResource[]): StackViolation[] {
        const ofType = (type: string) => resources.filter((r) => r.type === type);
        const projects = new Set(ofType(APP_PROJECT).map((r) => asString(dig(r.props, "metadata", "name"))));
        const policyNamespaces = new Set(ofType(NETWORK_POLICY).map((r) => asString(dig(r.props, "metadata", "namespace"))));
        const vaultPolicies = new Set(ofType(VAULT_POLICY).map((r) => asString(r.props.name)));
        const vclusterNamespaces = new Set(
            resources.filter((r) => isHelmChartNamed(r.type, r.props, "vcluster")).map((r) => asString(r.props.namespace)),
        );
        const violations: StackViolation[] = [];
        for (const namespace of ofType(NAMESPACE)) {
            const tenant = dig(namespace.props, "metadata", "labels", TENANT_LABEL);
            if (tenant === undefined) {
                continue;
            }
            const at = { resource: namespace.name, urn: namespace.urn };
            const labelPath = `metadata.labels${key(TENANT_LABEL)}`;
            if (typeof tenant !== "string" || tenant === "") {
                violations.push({ ...at, path: labelPath, message: `label ${TENANT_LABEL} is ${show(tenant)}; it must name the tenant.` });
                continue;
            }
            const name = asString(dig(namespace.props, "metadata", "name"));
            const expected = tenantNamespace(tenant);
            if (name !== expected) {
                violations.push({ ...at, path: "metadata.name", message: `namespace of tenant ${show(tenant)} is named ${show(name)}; it must be ${show(expected)}.` });
            }
            const ns = name ?? expected;
            // A decommissioned tenant has lost its grants on purpose (project, Vault policy);
            // what must stay is its isolation and its cluster.
            const decommissioned = dig(namespace.props, "metadata", "labels", TENANT_STATE_LABEL) === "decommissioned";
            if (!decommissioned && !projects.has(tenant)) {
                violations.push({ ...at, path: labelPath, message: `tenant ${show(tenant)} has no AppProject ${show(tenant)}.` });
            }
            if (!vclusterNamespaces.has(ns)) {
                violations.push({ ...at, path: labelPath, message: `tenant ${show(tenant)} has no vcluster chart in namespace ${show(ns)}.` });
            }
            if (!policyNamespaces.has(ns)) {
                violations.push({ ...at, path: labelPath, message: `tenant ${show(tenant)} has no NetworkPolicy in namespace ${show(ns)}.` });
            }
            if (!decommissioned && !vaultPolicies.has(tenantVaultPolicy(tenant))) {
                violations.push({ ...at, path: labelPath, message: `tenant ${show(tenant)} has no Vault policy ${show(tenantVaultPolicy(tenant))}.` });
            }
        }
        return violations;
    },
};
