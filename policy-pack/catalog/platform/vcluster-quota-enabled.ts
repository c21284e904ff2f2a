import type { PlatformRule, PulumiResource, Violation } from "../core/types";
import { HELM_CHART_TYPES, dig, isHelmChartNamed, show } from "../core/values";

/** The vCluster chart creates no ResourceQuota unless asked to; without one a tenant can starve the hub. */
export const vclusterQuotaEnabled: PlatformRule = {
    id: "vcluster-quota-enabled",
    scope: "platform",
    title: "vCluster resource quota enabled",
    description: "Every vCluster chart enables the ResourceQuota of its host namespace.",
    severity: "high",
    category: "Multi-Tenancy",
    framework: { bsi: ["SYS.1.6.A15", "APP.4.4.A15"] },
    remediation: "Set values.policies.resourceQuota.enabled to true (and size it in values.policies.resourceQuota.quota).",
    resourceTypes: HELM_CHART_TYPES,
    check(resource: PulumiResource): Violation[] {
        if (!isHelmChartNamed(resource.type, resource.props, "vcluster")) {
            return [];
        }
        const enabled = dig(resource.props, "values", "policies", "resourceQuota", "enabled");
        if (enabled !== true) {
            return [{ path: "values.policies.resourceQuota.enabled", message: `values.policies.resourceQuota.enabled is ${show(enabled)}; it must be true.` }];
        }
        return [];
    },
};
