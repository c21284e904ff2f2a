import type { PulumiResource, StackRule, StackViolation } from "../core/types";
import { asString, dig, isRecord } from "../core/values";

const APP_PROJECT = "kubernetes:argoproj.io/v1alpha1:AppProject";

/**
 * Two AppProjects that may deploy to the same cluster namespace let one tenant overwrite the
 * other's objects. Destinations are compared literally (server+namespace and name+namespace);
 * wildcard destinations are appproject-no-wildcards' business and are skipped here.
 */
export const appprojectUniqueDestinations: StackRule = {
    id: "appproject-unique-destinations",
    scope: "stack",
    title: "AppProject destinations are unique",
    description: "No two Argo CD AppProjects share a destination (cluster server or name, and namespace).",
    severity: "high",
    category: "Argo",
    framework: { bsi: ["APP.4.4.A1"] },
    remediation: "Give each AppProject only its own tenant's vCluster destination; remove the duplicate from one of the projects.",
    check(resources: PulumiResource[]): StackViolation[] {
        const owners = new Map<string, { project: string; resource: string }>();
        const violations: StackViolation[] = [];
        for (const resource of resources.filter((r) => r.type === APP_PROJECT)) {
            const project = asString(dig(resource.props, "metadata", "name")) ?? resource.name;
            const destinations = dig(resource.props, "spec", "destinations");
            (Array.isArray(destinations) ? destinations : []).forEach((destination, index) => {
                if (!isRecord(destination)) {
                    return;
                }
                const namespace = asString(destination.namespace) ?? "";
                const seen = new Set<string>();
                for (const field of ["server", "name"] as const) {
                    const cluster = asString(destination[field]);
                    if (cluster === undefined || cluster === "" || cluster.includes("*") || namespace.includes("*")) {
                        continue;
                    }
                    const id = `${field} ${JSON.stringify(cluster)} namespace ${JSON.stringify(namespace)}`;
                    if (seen.has(id)) {
                        continue;
                    }
                    seen.add(id);
                    const owner = owners.get(id);
                    if (owner && owner.project !== project) {
                        violations.push({
                            resource: resource.name,
                            urn: resource.urn,
                            path: `spec.destinations[${index}]`,
                            message: `destination ${id} of AppProject "${project}" is also a destination of AppProject "${owner.project}".`,
                        });
                    } else if (!owner) {
                        owners.set(id, { project, resource: resource.name });
                    }
                }
            });
        }
        return violations;
    },
};
