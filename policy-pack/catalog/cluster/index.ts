// Runtime rules outside Pod security: each is checked before deploy by CrossGuard and rendered as
// the Kyverno ClusterPolicy of the same name.
import type { Rule } from "../types";
import { applicationPreventDefaultProject } from "./application-prevent-default-project";
import { applicationPreventUpdatesProject } from "./application-prevent-updates-project";
import { certManagerLimitDnsNames } from "./cert-manager-limit-dnsnames";
import { certManagerLimitDuration } from "./cert-manager-limit-duration";
import { certManagerRestrictIssuer } from "./cert-manager-restrict-issuer";
import { disallowIngressNginxCustomSnippets } from "./disallow-ingress-nginx-custom-snippets";

export { PROJECT_AT_CREATION_ANNOTATION, PROJECT_AT_CREATION_IGNORE_CHANGES } from "./application-prevent-updates-project";

export const clusterRules: Rule[] = [
    applicationPreventDefaultProject,
    applicationPreventUpdatesProject,
    certManagerLimitDuration,
    certManagerLimitDnsNames,
    certManagerRestrictIssuer,
    disallowIngressNginxCustomSnippets,
];
