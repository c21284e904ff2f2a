import type { PlatformRule, PulumiResource, RuleContext, Violation } from "../core/types";
import { HELM_CHART_TYPES, dig, isHelmChartNamed, show } from "../core/values";
import { ENVIRONMENT_SETTING } from "../core/settings";

/** Vault's dev mode keeps everything in memory, unsealed, with a root token: only for the dev environment. */
export const vaultNoDevModeOutsideDev: PlatformRule = {
    id: "vault-no-dev-mode-outside-dev",
    scope: "platform",
    title: "No Vault dev mode outside dev",
    description: "The Vault Helm chart runs in dev mode only in the dev environment.",
    severity: "critical",
    category: "Vault",
    framework: { bsi: ["SYS.1.6.A8", "APP.4.4.A12"] },
    remediation: "Set values.server.dev.enabled to false and use HA raft storage (values.server.ha.raft.enabled: true) outside dev.",
    settings: { environment: ENVIRONMENT_SETTING },
    resourceTypes: HELM_CHART_TYPES,
    check(resource: PulumiResource, context: RuleContext): Violation[] {
        if (!isHelmChartNamed(resource.type, resource.props, "vault")) {
            return [];
        }
        const dev = dig(resource.props, "values", "server", "dev", "enabled");
        if (dev === true && context.environment !== "dev") {
            return [{
                path: "values.server.dev.enabled",
                message: `values.server.dev.enabled is true in environment ${show(context.environment)}; Vault dev mode is only allowed in "dev".`,
            }];
        }
        return [];
    },
};
