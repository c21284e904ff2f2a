import { stringList } from "../core/settings";
import type { PlatformRule, PulumiResource, RuleContext, Violation } from "../core/types";
import { EXACT_SEMVER, HELM_CHART_TYPES, asString, dig, isRecord, show } from "../core/values";

/** @pulumi/kubernetes-cert-manager installs its chart from `helmOptions`, with the chart name implied. */
const CERT_MANAGER_TYPE = "kubernetes-cert-manager:index:CertManager";

function normalize(url: string): string {
    return url.trim().replace(/\/+$/, "");
}

/**
 * Every Helm chart comes from an allowed repository at an exact version, so what is deployed is
 * reviewable and reproducible (no ranges, no "latest", no local or ad-hoc repositories).
 */
export const helmChartPinned: PlatformRule = {
    id: "helm-chart-pinned",
    scope: "platform",
    title: "Helm charts pinned to an allowed repository and an exact version",
    description: "Every Helm chart is installed from an allowed chart repository at an exact SemVer version.",
    severity: "high",
    category: "Supply Chain",
    framework: { bsi: ["SYS.1.6.A6", "SYS.1.6.A12", "APP.4.4.A2"] },
    remediation:
        "Set `version` to an exact version (e.g. \"7.7.11\", no ranges) and `repositoryOpts.repo` (or an `oci://` chart reference) to one of allowedChartRepositories.",
    settings: {
        allowedChartRepositories: stringList("Helm chart repositories (https:// URLs or oci:// prefixes) charts may come from."),
    },
    resourceTypes: [...HELM_CHART_TYPES, CERT_MANAGER_TYPE],
    check(resource: PulumiResource, context: RuleContext): Violation[] {
        if (resource.type === CERT_MANAGER_TYPE) {
            const helm = isRecord(resource.props.helmOptions) ? resource.props.helmOptions : {};
            return prefixed(helmChartPinned.check({ ...resource, type: HELM_CHART_TYPES[0], props: { chart: "cert-manager", ...helm } }, context), "helmOptions.");
        }
        const { props } = resource;
        const violations: Violation[] = [];
        const version = props.version;
        if (typeof version !== "string" || !EXACT_SEMVER.test(version)) {
            violations.push({ path: "version", message: `version is ${show(version)}; a chart must be pinned to an exact SemVer version such as "1.2.3".` });
        }
        const allowed = (Array.isArray(context.settings.allowedChartRepositories) ? context.settings.allowedChartRepositories : [])
            .filter((repo): repo is string => typeof repo === "string")
            .map(normalize);
        const chart = asString(props.chart) ?? "";
        const repo = dig(props, "repositoryOpts", "repo");
        if (chart.startsWith("oci://")) {
            if (!allowed.some((prefix) => chart === prefix || chart.startsWith(`${prefix}/`))) {
                violations.push({ path: "chart", message: `chart ${show(chart)} is not in an allowed repository (${allowed.join(", ") || "none configured"}).` });
            }
        } else if (typeof repo !== "string" || repo === "") {
            violations.push({
                path: "repositoryOpts.repo",
                message: `repositoryOpts.repo is ${show(repo)} for chart ${show(chart)}; a chart must come from one of the allowed repositories (${allowed.join(", ") || "none configured"}).`,
            });
        } else if (!allowed.includes(normalize(repo))) {
            violations.push({ path: "repositoryOpts.repo", message: `repositoryOpts.repo ${show(repo)} is not an allowed chart repository (${allowed.join(", ") || "none configured"}).` });
        }
        return violations;
    },
};

function prefixed(violations: Violation[], prefix: string): Violation[] {
    return violations.map((v) => ({ ...v, path: `${prefix}${v.path}` }));
}
