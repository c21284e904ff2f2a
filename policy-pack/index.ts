// Entry point of the policy pack: the Pulumi engine starts this file (through
// @pulumi/pulumi/cmd/run-policy-pack, working directory = this folder) and talks to the
// analyzer server PolicyPack starts. Per-environment enforcement comes from config/<env>.json
// passed with `--policy-pack-config`.
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL } from "./evaluate";
import { policies } from "./policies";

new PolicyPack("gitops-hub-compliance", {
    policies,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    description: "gitops-hub compliance catalog: Pod security, Argo CD, cert-manager, ingress-nginx, Vault, External Secrets, Helm and tenant isolation rules.",
});
