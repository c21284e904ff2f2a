import { PLATFORM_PROJECT } from "../core/conventions";
import type { PlatformRule, PulumiResource, Violation } from "../core/types";
import { dig, isRecord, show } from "../core/values";

function wildcards(list: unknown, path: string, fields?: string[]): Violation[] {
    if (!Array.isArray(list)) {
        return [];
    }
    const found: Violation[] = [];
    list.forEach((item, index) => {
        if (fields === undefined) {
            if (typeof item === "string" && item.includes("*")) {
                found.push({ path: `${path}[${index}]`, message: `${path}[${index}] is ${show(item)}; wildcards are only allowed in the ${PLATFORM_PROJECT} project.` });
            }
            return;
        }
        for (const field of fields) {
            const value = isRecord(item) ? item[field] : undefined;
            if (typeof value === "string" && value.includes("*")) {
                found.push({
                    path: `${path}[${index}].${field}`,
                    message: `${path}[${index}].${field} is ${show(value)}; wildcards are only allowed in the ${PLATFORM_PROJECT} project.`,
                });
            }
        }
    });
    return found;
}

/**
 * A tenant AppProject grants exactly the tenant's repositories, its vCluster and no cluster-scoped
 * resources beyond a named list: any `*` (also as part of a glob) widens it to other tenants.
 */
export const appprojectNoWildcards: PlatformRule = {
    id: "appproject-no-wildcards",
    scope: "platform",
    title: "No wildcards in AppProjects",
    description: "An Argo CD AppProject other than the platform project grants no wildcard repositories, destinations, source namespaces or cluster resources.",
    severity: "high",
    category: "Argo",
    framework: { bsi: ["APP.4.4.A1", "APP.4.4.A3"] },
    remediation: "List the tenant's repositories, its vCluster destination and the cluster-scoped kinds it needs explicitly instead of `*`.",
    resourceTypes: ["kubernetes:argoproj.io/v1alpha1:AppProject"],
    check(resource: PulumiResource): Violation[] {
        if (dig(resource.props, "metadata", "name") === PLATFORM_PROJECT) {
            return [];
        }
        const spec = dig(resource.props, "spec");
        return [
            ...wildcards(dig(spec, "sourceRepos"), "spec.sourceRepos"),
            ...wildcards(dig(spec, "destinations"), "spec.destinations", ["server", "name", "namespace"]),
            ...wildcards(dig(spec, "sourceNamespaces"), "spec.sourceNamespaces"),
            ...wildcards(dig(spec, "clusterResourceWhitelist"), "spec.clusterResourceWhitelist", ["group", "kind"]),
        ];
    },
};
