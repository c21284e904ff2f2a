import type { PlatformRule, PulumiResource, RuleContext, Violation } from "../core/types";
import { isRecord } from "../core/values";
import { ENVIRONMENT_SETTING } from "../core/settings";

/** In prod, secret material comes from Vault through External Secrets, never from Pulumi inputs. */
export const noLiteralSecretsInProd: PlatformRule = {
    id: "no-literal-secrets-in-prod",
    scope: "platform",
    title: "No literal Secrets in prod",
    description: "In prod no Kubernetes Secret carries data or stringData from the Pulumi program.",
    severity: "high",
    category: "Secrets",
    framework: { bsi: ["SYS.1.6.A8", "APP.4.4.A8"] },
    remediation: "Store the value in Vault under the owner's path and let an ExternalSecret create the Secret in-cluster.",
    settings: { environment: ENVIRONMENT_SETTING },
    resourceTypes: ["kubernetes:core/v1:Secret"],
    check(resource: PulumiResource, context: RuleContext): Violation[] {
        if (context.environment !== "prod") {
            return [];
        }
        // Only the keys are read: values may be secrets or unknown during preview.
        return (["data", "stringData"] as const).flatMap((field) => {
            const value = resource.props[field];
            const keys = isRecord(value) ? Object.keys(value) : [];
            return keys.length > 0
                ? [{ path: field, message: `${field} sets ${keys.map((k) => JSON.stringify(k)).join(", ")}; literal Secrets are not allowed in prod.` }]
                : [];
        });
    },
};
