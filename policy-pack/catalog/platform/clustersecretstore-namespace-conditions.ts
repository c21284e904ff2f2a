import type { PlatformRule, PulumiResource, Violation } from "../core/types";
import { dig, isRecord, show } from "../core/values";

function nonEmptyList(value: unknown): value is unknown[] {
    return Array.isArray(value) && value.length > 0;
}

/** A selector that selects something specific: `{}` (or only empty lists) selects every namespace. */
function specificSelector(value: unknown): boolean {
    if (!isRecord(value)) {
        return false;
    }
    const labels = value.matchLabels;
    return (isRecord(labels) && Object.keys(labels).length > 0) || nonEmptyList(value.matchExpressions);
}

/** A regex that matches the empty string matches (inside) every namespace name. */
function matchesEverything(pattern: unknown): boolean {
    if (typeof pattern !== "string") {
        return true;
    }
    try {
        return new RegExp(pattern).test("");
    } catch {
        return true;
    }
}

/** A ClusterSecretStore is usable only from the namespaces its conditions name. */
export const clustersecretstoreNamespaceConditions: PlatformRule = {
    id: "clustersecretstore-namespace-conditions",
    scope: "platform",
    title: "ClusterSecretStores restrict their namespaces",
    description: "A ClusterSecretStore lists conditions, each restricting it to named, selected or matched namespaces.",
    severity: "high",
    category: "External Secrets",
    framework: { bsi: ["APP.4.4.A1", "SYS.1.6.A8"] },
    remediation: "Add spec.conditions with namespaces, a namespaceSelector with matchLabels (e.g. gitops-hub.io/platform: \"true\") or anchored namespaceRegexes.",
    resourceTypes: ["kubernetes:external-secrets.io/v1:ClusterSecretStore"],
    check(resource: PulumiResource): Violation[] {
        const conditions = dig(resource.props, "spec", "conditions");
        if (!nonEmptyList(conditions)) {
            return [{ path: "spec.conditions", message: `spec.conditions is ${show(conditions)}; without conditions every namespace can use this store.` }];
        }
        const violations: Violation[] = [];
        conditions.forEach((condition, index) => {
            const path = `spec.conditions[${index}]`;
            const namespaces = dig(condition, "namespaces");
            const selector = dig(condition, "namespaceSelector");
            const regexes = dig(condition, "namespaceRegexes");
            if (!nonEmptyList(namespaces) && !specificSelector(selector) && !nonEmptyList(regexes)) {
                violations.push({ path, message: `${path} is ${show(condition)}; it must restrict namespaces with namespaces, a namespaceSelector or namespaceRegexes.` });
                return;
            }
            if (selector !== undefined && !specificSelector(selector)) {
                violations.push({ path: `${path}.namespaceSelector`, message: `${path}.namespaceSelector is ${show(selector)}; an empty selector selects every namespace.` });
            }
            (Array.isArray(regexes) ? regexes : []).forEach((pattern, r) => {
                if (matchesEverything(pattern)) {
                    violations.push({ path: `${path}.namespaceRegexes[${r}]`, message: `${path}.namespaceRegexes[${r}] is ${show(pattern)}; it matches every namespace.` });
                }
            });
        });
        return violations;
    },
};
