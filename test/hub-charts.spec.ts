// What the pinned hub charts already define or accept, recorded here as facts (read from the
// charts at their release tags; nothing of the charts is committed), and the values the program
// passes checked against those facts. Rendering the charts for real showed each of these going
// wrong once: a values key cert-manager's schema rejects, a volume Vault's StatefulSet already
// has, hooks helm.v4.Chart never runs, images from a host the registry allow-list does not name.
// None of this needs a chart: the last block re-reads the facts from the pinned charts when
// GITOPS_HUB_CHARTS points at them, and is skipped otherwise.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DOCKER_LIBRARY } from "../components/hub/argocd";
import { HUB_HOOK_VALUES, KYVERNO_MIGRATED_RESOURCES, kyvernoValues } from "../components/hub/kyverno";
import { RESTRICTED_POD } from "../components/hub/shared";
import { CERT_MANAGER_VERSION, CHARTS } from "../components/versions";
import { exemptionFor } from "../policy-pack/evaluate";
import type { RecordedResource, RunResult } from "../scripts/recorder";
import { PROJECT_ROOT } from "../scripts/stack-file";
import { requireCharts } from "./tools";
import { byName, recordHubs, runStack } from "./helpers";

const CHART = "kubernetes:helm.sh/v4:Chart";
const CERT_MANAGER = "kubernetes-cert-manager:index:CertManager";
const inputs = (r: RecordedResource) => r.inputs as any;
const chartValues = (result: RunResult, name: string) => inputs(byName(result, CHART, name)).values;

/** What @pulumi/kubernetes-cert-manager passes to Helm as values: every input but helmOptions, under its own name. */
function certManagerValues(result: RunResult): Record<string, unknown> {
    const { helmOptions: _, ...values } = inputs(byName(result, CERT_MANAGER, "cert-manager-chart"));
    return values;
}

// ---- cert-manager v1.18.2 -------------------------------------------------------------------

/**
 * cert-manager v1.18.2's values.schema.json (deploy/charts/cert-manager at tag v1.18.2): the keys
 * allowed in each object of the values the program sets keys in. These objects are closed
 * (`additionalProperties: false`): Helm refuses to install with any other key.
 */
const CERT_MANAGER_SCHEMA_KEYS: Record<string, string[]> = {
    "": [
        "acmesolver", "affinity", "approveSignerNames", "automountServiceAccountToken", "cainjector", "clusterResourceNamespace",
        "config", "containerSecurityContext", "crds", "creator", "deploymentAnnotations", "disableAutoApproval",
        "dns01RecursiveNameservers", "dns01RecursiveNameserversOnly", "enableCertificateOwnerRef", "enableServiceLinks", "enabled",
        "extraArgs", "extraEnv", "extraObjects", "featureGates", "fullnameOverride", "global", "hostAliases", "http_proxy",
        "https_proxy", "image", "ingressShim", "installCRDs", "livenessProbe", "maxConcurrentChallenges", "nameOverride",
        "namespace", "no_proxy", "nodeSelector", "podAnnotations", "podDisruptionBudget", "podDnsConfig", "podDnsPolicy",
        "podLabels", "prometheus", "replicaCount", "resources", "securityContext", "serviceAccount", "serviceAnnotations",
        "serviceIPFamilies", "serviceIPFamilyPolicy", "serviceLabels", "startupapicheck", "strategy", "tolerations",
        "topologySpreadConstraints", "volumeMounts", "volumes", "webhook",
    ],
    webhook: [
        "affinity", "automountServiceAccountToken", "config", "containerSecurityContext", "deploymentAnnotations", "enableServiceLinks",
        "extraArgs", "extraEnv", "featureGates", "hostNetwork", "image", "livenessProbe", "loadBalancerIP", "mutatingWebhookConfiguration",
        "mutatingWebhookConfigurationAnnotations", "networkPolicy", "nodeSelector", "podAnnotations", "podDisruptionBudget", "podLabels",
        "readinessProbe", "replicaCount", "resources", "securePort", "securityContext", "serviceAccount", "serviceAnnotations",
        "serviceIPFamilies", "serviceIPFamilyPolicy", "serviceLabels", "serviceType", "strategy", "timeoutSeconds", "tolerations",
        "topologySpreadConstraints", "url", "validatingWebhookConfiguration", "validatingWebhookConfigurationAnnotations",
        "volumeMounts", "volumes",
    ],
    cainjector: [
        "affinity", "automountServiceAccountToken", "config", "containerSecurityContext", "deploymentAnnotations", "enableServiceLinks",
        "enabled", "extraArgs", "extraEnv", "featureGates", "image", "nodeSelector", "podAnnotations", "podDisruptionBudget", "podLabels",
        "replicaCount", "resources", "securityContext", "serviceAccount", "serviceAnnotations", "serviceLabels", "strategy", "tolerations",
        "topologySpreadConstraints", "volumeMounts", "volumes",
    ],
    startupapicheck: [
        "affinity", "automountServiceAccountToken", "backoffLimit", "containerSecurityContext", "enableServiceLinks", "enabled",
        "extraArgs", "extraEnv", "image", "jobAnnotations", "nodeSelector", "podAnnotations", "podLabels", "rbac", "resources",
        "securityContext", "serviceAccount", "timeout", "tolerations", "volumeMounts", "volumes",
    ],
};

/**
 * The other closed objects of that schema. The program sets no key inside them; one that starts
 * to must first record their keys above. Every other object (security contexts, resources,
 * probes, …) is open: the schema says `type: object` and nothing about its keys.
 */
const CERT_MANAGER_OTHER_CLOSED = [
    "acmesolver", "acmesolver.image", "cainjector.image", "cainjector.podDisruptionBudget", "cainjector.serviceAccount", "crds",
    "image", "ingressShim", "podDisruptionBudget", "prometheus", "prometheus.podmonitor", "prometheus.servicemonitor",
    "serviceAccount", "startupapicheck.image", "startupapicheck.rbac", "startupapicheck.serviceAccount", "webhook.image",
    "webhook.mutatingWebhookConfiguration", "webhook.networkPolicy", "webhook.podDisruptionBudget", "webhook.serviceAccount",
    "webhook.validatingWebhookConfiguration",
];

/** cert-manager v1.18.2 values.yaml: the cainjector's pod security context when the values set none. */
const CERT_MANAGER_DEFAULT_CAINJECTOR_POD_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };

/** Every key of `values` that cert-manager v1.18.2's values schema would reject, as Helm words it, with the fix. */
function certManagerSchemaProblems(values: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const walk = (value: unknown, at: string) => {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return;
        const allowed = CERT_MANAGER_SCHEMA_KEYS[at];
        if (allowed === undefined) {
            if (CERT_MANAGER_OTHER_CLOSED.includes(at)) problems.push(`${at}: the keys of this closed schema object are not recorded; record them in CERT_MANAGER_SCHEMA_KEYS first`);
            return;
        }
        for (const [key, child] of Object.entries(value)) {
            const childAt = at === "" ? key : `${at}.${key}`;
            if (!allowed.includes(key)) problems.push(`${childAt}: additional property not allowed by cert-manager ${CERT_MANAGER_VERSION}'s values schema; allowed at ${at || "the top level"}: ${allowed.join(", ")}`);
            else walk(child, childAt);
        }
    };
    walk(values, "");
    return problems;
}

// ---- vault-helm 0.30.0 ------------------------------------------------------------------------

/**
 * vault-helm 0.30.0 (templates/server-statefulset.yaml and the vault.volumes, vault.mounts and
 * vault.volumeclaims helpers): the volumes and mounts the server StatefulSet defines itself, for
 * the values the program passes. In every mode: emptyDir `home` at /home/vault (the CLI's $HOME).
 * In HA raft mode: ConfigMap `config` at /vault/config, and the volumeClaimTemplate `data` at
 * server.dataStorage.mountPath (default /vault/data). Audit storage is off (auditStorage.enabled
 * defaults to false) and the program passes no server.extraVolumes (`userconfig-<name>`).
 */
const VAULT_CHART_MOUNTS: Record<"dev" | "ha", Record<string, string>> = {
    dev: { home: "/home/vault" },
    ha: { home: "/home/vault", config: "/vault/config", data: "/vault/data" },
};

/** What the API server would reject in the Vault StatefulSet once the chart's volumes and the program's are combined. */
function vaultVolumeProblems(server: any, mode: "dev" | "ha"): string[] {
    const chart = VAULT_CHART_MOUNTS[mode];
    const volumes: string[] = (server.volumes ?? []).map((v: any) => v.name);
    const problems: string[] = [];
    for (const name of volumes) {
        if (name in chart) problems.push(`server.volumes: "${name}" is already defined by vault-helm ${CHARTS.vault.version}'s StatefulSet (${mode} mode); remove it`);
        if (volumes.filter((v) => v === name).length > 1) problems.push(`server.volumes: "${name}" is defined twice`);
    }
    for (const mount of server.volumeMounts ?? []) {
        const owner = Object.entries(chart).find(([, mountPath]) => mountPath === mount.mountPath);
        if (owner) problems.push(`server.volumeMounts: ${mount.mountPath} is already mounted by vault-helm ${CHARTS.vault.version}'s StatefulSet (volume "${owner[0]}", ${mode} mode); remove it`);
        if (!volumes.includes(mount.name) && !(mount.name in chart)) problems.push(`server.volumeMounts: ${mount.mountPath} mounts undefined volume "${mount.name}"`);
    }
    return [...new Set(problems)];
}

// ---- argo-cd 9.1.0 ----------------------------------------------------------------------------

/**
 * argo-cd 9.1.0 values.yaml: the image repositories it defaults to on a host the platform's
 * registry allow-list does not name (ecr-public.aws.com, the dual-stack host of ECR Public, whose
 * other host public.ecr.aws the list names), by the values path that overrides each.
 */
const ARGOCD_IMAGES_OUTSIDE_ALLOW_LIST: Record<string, string> = {
    "redis.image.repository": "ecr-public.aws.com/docker/library/redis",
    "redis-ha.image.repository": "ecr-public.aws.com/docker/library/redis",
    "redis-ha.haproxy.image.repository": "ecr-public.aws.com/docker/library/haproxy",
};

/** argo-cd 9.1.0: the components whose probes the chart renders only when `<component>.{liveness,readiness}Probe.enabled`. */
const ARGOCD_PROBES_OFF_BY_DEFAULT = ["applicationSet", "notifications", "redis"];

// ---- kyverno 3.5.2 ----------------------------------------------------------------------------

/**
 * kyverno chart 3.5.2 templates/hooks: which value switches which Helm hook on (both default to
 * true), none of which helm.v4.Chart runs.
 */
const KYVERNO_HOOKS = {
    "webhooksCleanup.enabled": ["Job kyverno-scale-to-zero (pre-delete)", "Job kyverno-rm-validatingwhconfig (pre-delete)", "Job kyverno-rm-mutatingwhconfig (pre-delete)"],
    "crds.migration.enabled": ["Job kyverno-migrate-resources (post-upgrade)", "ServiceAccount kyverno-migrate-resources", "ClusterRole kyverno:migrate-resources", "ClusterRoleBinding kyverno:migrate-resources"],
};

const dig = (value: any, dotted: string) => dotted.split(".").reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), value);
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"));

describe("hub charts: the program's values against what the pinned charts define", function () {
    this.timeout(120_000);
    let dev: RunResult;
    let prod: RunResult;

    before(async () => {
        ({ dev, prod } = await recordHubs());
    });

    describe(`cert-manager ${CERT_MANAGER_VERSION}`, () => {
        it("passes only keys of the chart's values schema, in dev and prod", () => {
            expect(certManagerSchemaProblems(certManagerValues(dev))).to.deep.equal([]);
            expect(certManagerSchemaProblems(certManagerValues(prod))).to.deep.equal([]);
        });

        it("sets exactly these keys (checked against the schema facts above)", () => {
            const values = certManagerValues(prod) as any;
            expect(Object.keys(values).sort()).to.deep.equal(["cainjector", "containerSecurityContext", "installCRDs", "resources", "securityContext", "startupapicheck", "webhook"]);
            expect(Object.keys(values.webhook).sort()).to.deep.equal(["containerSecurityContext", "resources", "securityContext"]);
            expect(Object.keys(values.cainjector).sort()).to.deep.equal(["containerSecurityContext", "resources"]);
            expect(Object.keys(values.startupapicheck).sort()).to.deep.equal(["resources", "securityContext"]);
        });

        it("leaves the cainjector's pod security context to the chart, whose default is the restricted one", () => {
            expect(certManagerValues(prod).cainjector).to.not.have.property("podSecurityContext");
            expect(CERT_MANAGER_DEFAULT_CAINJECTOR_POD_CONTEXT).to.deep.equal(RESTRICTED_POD);
        });

        it("fails when an input is not a key of the chart's schema (the component's own cainjector.podSecurityContext)", () => {
            const values = { ...certManagerValues(dev), cainjector: { podSecurityContext: RESTRICTED_POD } };
            expect(certManagerSchemaProblems(values)).to.deep.equal([
                `cainjector.podSecurityContext: additional property not allowed by cert-manager v1.18.2's values schema; allowed at cainjector: ${CERT_MANAGER_SCHEMA_KEYS.cainjector.join(", ")}`,
            ]);
        });

        it("fails when a key is set inside a closed schema object whose keys are not recorded", () => {
            expect(certManagerSchemaProblems({ crds: { enabled: true } })).to.deep.equal([
                "crds: the keys of this closed schema object are not recorded; record them in CERT_MANAGER_SCHEMA_KEYS first",
            ]);
        });
    });

    describe(`vault-helm ${CHARTS.vault.version}`, () => {
        it("defines no volume or mountPath the chart's StatefulSet already defines (home at /home/vault), in dev and HA mode", () => {
            expect(vaultVolumeProblems(chartValues(dev, "vault-chart").server, "dev")).to.deep.equal([]);
            expect(vaultVolumeProblems(chartValues(prod, "vault-chart").server, "ha")).to.deep.equal([]);
        });

        it("adds only /tmp (and in HA the TLS secret) to what the chart mounts", () => {
            const devServer = chartValues(dev, "vault-chart").server;
            const prodServer = chartValues(prod, "vault-chart").server;
            expect(devServer.volumes).to.deep.equal([{ name: "tmp", emptyDir: {} }]);
            expect(devServer.volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
            expect(prodServer.volumes).to.deep.equal([{ name: "vault-tls", secret: { secretName: "vault-tls" } }, { name: "tmp", emptyDir: {} }]);
            expect(prodServer.volumeMounts).to.deep.equal([
                { name: "vault-tls", mountPath: "/vault/userconfig/vault-tls", readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
            ]);
        });

        it("fails when the home volume and its mount are added again", () => {
            const server = { volumes: [{ name: "home", emptyDir: {} }], volumeMounts: [{ name: "home", mountPath: "/home/vault" }] };
            expect(vaultVolumeProblems(server, "dev")).to.deep.equal([
                `server.volumes: "home" is already defined by vault-helm 0.30.0's StatefulSet (dev mode); remove it`,
                `server.volumeMounts: /home/vault is already mounted by vault-helm 0.30.0's StatefulSet (volume "home", dev mode); remove it`,
            ]);
        });

        it("fails when a mount reuses a path of the chart's HA mode, or names no volume", () => {
            const server = { volumes: [], volumeMounts: [{ name: "raft", mountPath: "/vault/data" }] };
            expect(vaultVolumeProblems(server, "ha")).to.deep.equal([
                `server.volumeMounts: /vault/data is already mounted by vault-helm 0.30.0's StatefulSet (volume "data", ha mode); remove it`,
                `server.volumeMounts: /vault/data mounts undefined volume "raft"`,
            ]);
        });
    });

    describe(`external-secrets ${CHARTS.externalSecrets.version}`, () => {
        it("gives the controller, the webhook and the cert-controller a PodDisruptionBudget in prod (2 replicas), none in dev (1)", () => {
            const pdbs = (v: any) => [v.podDisruptionBudget, v.webhook.podDisruptionBudget, v.certController.podDisruptionBudget];
            expect(pdbs(chartValues(prod, "external-secrets-chart"))).to.deep.equal([{ enabled: true }, { enabled: true }, { enabled: true }]);
            expect(pdbs(chartValues(dev, "external-secrets-chart"))).to.deep.equal([{ enabled: false }, { enabled: false }, { enabled: false }]);
        });
    });

    describe(`argo-cd ${CHARTS.argocd.version}`, () => {
        it("pulls every image the chart would take from outside the allow-list from public.ecr.aws, which the list names", () => {
            const allowed: string[] = readJson("policy-pack/config/prod.json")["restrict-image-registries"].allowedRegistries;
            const prodValues = chartValues(prod, "argocd-chart");
            const devValues = chartValues(dev, "argocd-chart");
            const overridden = (values: any) => Object.keys(ARGOCD_IMAGES_OUTSIDE_ALLOW_LIST).map((p) => [p, dig(values, p)]);
            expect(overridden(prodValues)).to.deep.equal([
                ["redis.image.repository", `${DOCKER_LIBRARY}/redis`],
                ["redis-ha.image.repository", `${DOCKER_LIBRARY}/redis`],
                ["redis-ha.haproxy.image.repository", `${DOCKER_LIBRARY}/haproxy`],
            ]);
            expect(dig(devValues, "redis.image.repository")).to.equal(`${DOCKER_LIBRARY}/redis`);
            for (const [at, repository] of overridden(prodValues)) {
                expect(allowed.some((prefix) => `${repository}:tag`.startsWith(prefix)), at).to.equal(true);
                expect(allowed.some((prefix) => `${ARGOCD_IMAGES_OUTSIDE_ALLOW_LIST[at]}:tag`.startsWith(prefix)), `chart default at ${at}`).to.equal(false);
            }
        });

        it("switches on the liveness and readiness probes the chart leaves off, in dev and prod", () => {
            for (const values of [chartValues(dev, "argocd-chart"), chartValues(prod, "argocd-chart")]) {
                for (const component of ARGOCD_PROBES_OFF_BY_DEFAULT) {
                    expect([values[component].livenessProbe, values[component].readinessProbe], component).to.deep.equal([{ enabled: true }, { enabled: true }]);
                }
            }
        });
    });

    describe(`kyverno ${CHARTS.kyverno.version}`, () => {
        it("switches off every Helm hook on the hub and lets Kyverno remove its own webhooks (finalizers)", () => {
            for (const values of [chartValues(dev, "kyverno-chart"), chartValues(prod, "kyverno-chart")]) {
                expect(Object.keys(KYVERNO_HOOKS).map((p) => [p, dig(values, p)])).to.deep.equal([
                    ["webhooksCleanup.enabled", false], ["crds.migration.enabled", false],
                ]);
                expect(values.webhooksCleanup).to.deep.equal({ enabled: false, autoDeleteWebhooks: { enabled: true } });
                expect(values.crds).to.deep.equal({ install: true, migration: { enabled: false } });
            }
            expect(HUB_HOOK_VALUES).to.deep.equal({
                crds: { install: true, migration: { enabled: false } },
                webhooksCleanup: { enabled: false, autoDeleteWebhooks: { enabled: true } },
            });
        });

        it("keeps the hook values out of the spokes' kyverno values, which Argo CD installs", () => {
            expect(kyvernoValues("prod", 3)).to.not.have.any.keys("webhooksCleanup", "crds");
        });

        it("documents the CRD migration the post-upgrade hook would run, for every resource it migrates", () => {
            const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
            const command = `kyverno migrate ${KYVERNO_MIGRATED_RESOURCES.map((r) => `--resource ${r}`).join(" ")}`;
            expect(readme).to.include(command);
            expect(readme).to.include("kubectl delete validatingwebhookconfiguration,mutatingwebhookconfiguration -l webhook.kyverno.io/managed-by=kyverno");
        });
    });

    describe("exemptions for what no chart value can fix", () => {
        /** policy → exempted `namespace/name`s, from a policy config file. */
        function exempted(file: string): Record<string, string[]> {
            const config = readJson(file);
            const out: Record<string, string[]> = {};
            for (const [policy, entry] of Object.entries<any>(config)) {
                for (const exemption of entry?.exemptions ?? []) {
                    expect(exemption.namespaces, `${policy}: every exemption names namespaces`).to.be.an("array").that.is.not.empty;
                    expect(exemption.names, `${policy}: every exemption names objects`).to.be.an("array").that.is.not.empty;
                    expect(exemption.reason, `${policy}: every exemption gives its reason`).to.be.a("string").with.length.above(40);
                    for (const ns of exemption.namespaces) for (const name of exemption.names) (out[policy] ??= []).push(`${ns}/${name}`);
                }
            }
            return out;
        }

        const PROBES = [
            "kyverno/kyverno-background-controller", "kyverno/kyverno-reports-controller", "external-secrets/external-secrets",
            "argocd/argocd-redis-ha-server", "cert-manager/cert-manager-cainjector", "cert-manager/cert-manager-startupapicheck",
        ];

        it("exempts exactly these chart children in prod, each scoped by namespace and name", () => {
            expect(exempted("policy-pack/config/prod.json")).to.deep.equal({
                "require-pod-probes": PROBES,
                "no-literal-secrets-in-prod": [
                    "argocd/argocd-secret",
                    "policy-reporter/policy-reporter-config", "policy-reporter/policy-reporter-ui-config", "policy-reporter/policy-reporter-ui-default-cluster",
                    "vcluster-*/vc-config-*",
                ],
            });
        });

        it("exempts the same probe-less workloads in dev", () => {
            expect(exempted("policy-pack/config/dev.json")).to.deep.equal({ "require-pod-probes": PROBES });
        });

        it("covers a probe-less controller in its own namespace only", () => {
            const exemptions = readJson("policy-pack/config/prod.json")["require-pod-probes"].exemptions;
            const deployment = (namespace: string) => ({
                type: "kubernetes:apps/v1:Deployment", name: `kyverno-chart:${namespace}/kyverno-background-controller`,
                props: { metadata: { name: "kyverno-background-controller", namespace } },
            });
            expect(exemptionFor(exemptions, deployment("kyverno"))).to.match(/^The kyverno chart 3\.5\.2 has probe values/);
            expect(exemptionFor(exemptions, deployment("team-a"))).to.equal(undefined);
        });

        it("covers the vc-config Secret of every tenant, present or onboarded later, and no other Secret", async () => {
            const exemptions = readJson("policy-pack/config/prod.json")["no-literal-secrets-in-prod"].exemptions;
            const secret = (namespace: string, name: string) => ({
                type: "kubernetes:core/v1:Secret", name: `x-vcluster:${namespace}/${name}`, props: { metadata: { name, namespace } },
            });
            const prod = await runStack("prod");
            const tenants = prod.resources.filter((r) => r.type === "gitops-hub:tenant:Tenant").map((r) => r.name);
            for (const tenant of [...tenants, "team-onboarded-later"]) {
                expect(exemptionFor(exemptions, secret(`vcluster-${tenant}`, `vc-config-${tenant}`)), tenant).to.match(/^The vCluster chart 0\.28\.0 always renders/);
            }
            expect(exemptionFor(exemptions, secret("argocd", "vc-config-payments"))).to.equal(undefined);
            expect(exemptionFor(exemptions, secret("vcluster-payments", "payments-db-credentials"))).to.equal(undefined);
            expect(exemptionFor(exemptions, secret("team-vcluster-payments", "vc-config-payments"))).to.equal(undefined);
        });
    });

    describe("the facts above, re-read from the pinned charts (GITOPS_HUB_CHARTS=<dir of unpacked charts>)", function () {
        let dir: string;
        const chartDir = (name: string, version: string) => path.join(dir, `${name}-${version}`);
        const values = (name: string, version: string) => parse(fs.readFileSync(path.join(chartDir(name, version), "values.yaml"), "utf8"));

        before(function () { dir = requireCharts(this); });

        it("cert-manager: the schema's closed objects and their keys, and the cainjector's default pod context", () => {
            const schema = JSON.parse(fs.readFileSync(path.join(chartDir("cert-manager", CERT_MANAGER_VERSION), "values.schema.json"), "utf8")).$defs;
            const at = (def: string) => def.replace(/^helm-values\.?/, "");
            const closed = Object.keys(schema).filter((def) => schema[def].additionalProperties === false).map(at);
            expect(closed.sort()).to.deep.equal([...Object.keys(CERT_MANAGER_SCHEMA_KEYS), ...CERT_MANAGER_OTHER_CLOSED].sort());
            for (const [object, keys] of Object.entries(CERT_MANAGER_SCHEMA_KEYS)) {
                expect(Object.keys(schema[object ? `helm-values.${object}` : "helm-values"].properties).sort(), object).to.deep.equal(keys);
            }
            expect(values("cert-manager", CERT_MANAGER_VERSION).cainjector.securityContext).to.deep.equal(CERT_MANAGER_DEFAULT_CAINJECTOR_POD_CONTEXT);
        });

        it("vault: the StatefulSet's own home volume and mount, and the HA mounts", () => {
            const templates = path.join(chartDir("vault", CHARTS.vault.version), "templates");
            const statefulSet = fs.readFileSync(path.join(templates, "server-statefulset.yaml"), "utf8");
            const helpers = fs.readFileSync(path.join(templates, "_helpers.tpl"), "utf8");
            expect(statefulSet).to.match(/- name: home\n\s+emptyDir: \{\}/);
            expect(statefulSet).to.match(/- name: home\n\s+mountPath: \/home\/vault/);
            expect(helpers).to.match(/- name: config\n\s+mountPath: \/vault\/config/);
            expect(helpers).to.match(/- name: data\n\s+mountPath: \{\{ \.Values\.server\.dataStorage\.mountPath \}\}/);
            const v = values("vault", CHARTS.vault.version);
            expect([v.server.dataStorage.mountPath, v.server.auditStorage.enabled]).to.deep.equal([VAULT_CHART_MOUNTS.ha.data, false]);
        });

        it("argo-cd: the image repositories outside the allow-list, and the probes off by default", () => {
            const v = values("argo-cd", CHARTS.argocd.version);
            for (const [at, repository] of Object.entries(ARGOCD_IMAGES_OUTSIDE_ALLOW_LIST)) expect(dig(v, at), at).to.equal(repository);
            for (const component of ARGOCD_PROBES_OFF_BY_DEFAULT) {
                expect([v[component].livenessProbe.enabled, v[component].readinessProbe.enabled], component).to.deep.equal([false, false]);
            }
        });

        it("kyverno: the hooks' switches default to on, and the resources the migration hook migrates", () => {
            const v = values("kyverno", CHARTS.kyverno.version);
            expect([v.webhooksCleanup.enabled, v.crds.migration.enabled, v.webhooksCleanup.autoDeleteWebhooks.enabled]).to.deep.equal([true, true, false]);
            expect(v.crds.migration.resources).to.deep.equal([...KYVERNO_MIGRATED_RESOURCES]);
            const hooks = path.join(chartDir("kyverno", CHARTS.kyverno.version), "templates", "hooks");
            expect(fs.readdirSync(hooks).sort()).to.deep.equal([
                "_helpers.tpl", "post-upgrade-migrate-resources.yaml", "pre-delete-remove-mutatingwebhookconfiguration.yaml",
                "pre-delete-remove-validatingwebhookconfiguration.yaml", "pre-delete-scale-to-zero.yaml",
            ]);
        });
    });
});
