// Policy evaluation benchmark: runs every rule of the compliance catalog over 100,000 generated
// Pulumi resources (a mix of workloads, cert-manager, ingress, Argo CD, Helm, Vault, External
// Secrets and namespaces; about one in five violating) and prints throughput per rule group.
//
//   npx ts-node --transpile-only scripts/bench/policies.ts [results.json]
//
// Numbers, not assertions: it is never part of the test suite.
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { platformRules, podRules, runtimeRules, stackRules } from "../../policy-pack/catalog";
import type { PulumiResource, RuntimeRule } from "../../policy-pack/catalog/core/types";
import { applies, evaluate, manifestOf, resolvePackConfig } from "../../policy-pack/evaluate";

const COUNT = 100_000;
const config = resolvePackConfig(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy-pack", "config", "prod.json"), "utf8")), { source: "prod.json" });

/** Deterministic PRNG (mulberry32) so every run evaluates the same resources. */
function prng(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function podSpec(bad: boolean, i: number): Record<string, unknown> {
    return {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
            {
                name: `app-${i}`,
                image: bad ? "docker.io/library/nginx:latest" : `ghcr.io/acme/app-${i % 50}:1.${i % 9}.0`,
                securityContext: { allowPrivilegeEscalation: bad, privileged: bad, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
                livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
                readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
            },
        ],
        ...(bad ? { hostNetwork: true, volumes: [{ name: "host", hostPath: { path: "/var/run" } }] } : {}),
    };
}

const generators: ((i: number, bad: boolean) => PulumiResource)[] = [
    (i, bad) => ({ type: "kubernetes:core/v1:Pod", name: `pod-${i}`, props: { apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${i}`, namespace: `ns-${i % 40}` }, spec: podSpec(bad, i) } }),
    (i, bad) => ({
        type: "kubernetes:apps/v1:Deployment",
        name: `deploy-${i}`,
        props: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `deploy-${i}`, namespace: `ns-${i % 40}` }, spec: { replicas: 2, template: { metadata: { labels: { app: "x" } }, spec: podSpec(bad, i) } } },
    }),
    (i, bad) => ({
        type: "kubernetes:batch/v1:CronJob",
        name: `cron-${i}`,
        props: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: `cron-${i}`, namespace: `ns-${i % 40}` }, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: podSpec(bad, i) } } } } },
    }),
    (i, bad) => ({
        type: "kubernetes:cert-manager.io/v1:Certificate",
        name: `cert-${i}`,
        props: {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: `cert-${i}`, namespace: `ns-${i % 40}` },
            spec: { duration: bad ? "8760h" : "2160h", dnsNames: [`app-${i}.gitops.example.com`], issuerRef: { kind: "ClusterIssuer", name: bad ? "rogue" : "letsencrypt" } },
        },
    }),
    (i, bad) => ({
        type: "kubernetes:networking.k8s.io/v1:Ingress",
        name: `ing-${i}`,
        props: {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: `ing-${i}`, namespace: `ns-${i % 40}`, annotations: bad ? { "nginx.ingress.kubernetes.io/server-snippet": "x" } : { "cert-manager.io/cluster-issuer": "letsencrypt" } },
            spec: { rules: [{ host: `app-${i}.gitops.example.com` }] },
        },
    }),
    (i, bad) => ({
        type: "kubernetes:argoproj.io/v1alpha1:Application",
        name: `app-${i}`,
        props: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: `app-${i}`, namespace: "argocd", annotations: { "gitops-hub.io/project-at-creation": `t${i % 40}` } },
            spec: { project: bad ? "default" : `t${i % 40}`, source: { repoURL: "https://github.com/acme/x.git", path: "." } },
        },
    }),
    (i, bad) => ({
        type: "kubernetes:argoproj.io/v1alpha1:AppProject",
        name: `project-${i}`,
        props: { metadata: { name: `t${i}`, namespace: "argocd" }, spec: { sourceRepos: [bad ? "*" : `https://github.com/acme/t${i}.git`], destinations: [{ name: `vcluster-t${i}`, namespace: "apps" }] } },
    }),
    (i, bad) => ({
        type: "kubernetes:helm.sh/v4:Chart",
        name: `chart-${i}`,
        props: { chart: "vcluster", version: bad ? "^0.21" : "0.21.2", namespace: `vcluster-t${i}`, repositoryOpts: { repo: "https://charts.loft.sh" }, values: { policies: { resourceQuota: { enabled: !bad } } } },
    }),
    (i, bad) => ({
        type: "vault:index/policy:Policy",
        name: `vault-policy-${i}`,
        props: { name: `tenant-t${i}`, policy: `path "tenants/t${i}/data/*" {\n  capabilities = ["read", "list"${bad ? ', "sudo"' : ""}]\n}\npath "tenants/t${bad ? "x" : i}/metadata/*" { capabilities = ["list"] }\n` },
    }),
    (i, bad) => ({
        type: "vault:kubernetes/authBackendRole:AuthBackendRole",
        name: `role-${i}`,
        props: { backend: "kubernetes", roleName: `tenant-t${i}`, boundServiceAccountNames: [bad ? "*" : "external-secrets"], boundServiceAccountNamespaces: [`vcluster-t${i}`], ...(bad ? {} : { audience: "vault" }) },
    }),
    (i, bad) => ({
        type: "kubernetes:external-secrets.io/v1:ClusterSecretStore",
        name: `store-${i}`,
        props: { metadata: { name: `store-${i}` }, spec: { provider: { vault: {} }, ...(bad ? {} : { conditions: [{ namespaces: [`vcluster-t${i}`] }] }) } },
    }),
    (i, bad) => ({ type: "kubernetes:core/v1:Secret", name: `secret-${i}`, props: { metadata: { name: `secret-${i}`, namespace: `ns-${i % 40}` }, ...(bad ? { stringData: { token: "x" } } : { type: "Opaque" }) } }),
    (i, bad) => ({ type: "kubernetes:core/v1:ConfigMap", name: `cm-${i}`, props: { metadata: { name: `cm-${i}`, namespace: "ingress-nginx" }, data: { "allow-snippet-annotations": bad ? "true" : "false" } } }),
    (i) => ({ type: "kubernetes:core/v1:Namespace", name: `namespace-${i}`, props: { metadata: { name: `vcluster-t${i}`, labels: { "gitops-hub.io/tenant": `t${i}` } } } }),
    (i) => ({ type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", name: `netpol-${i}`, props: { metadata: { name: "default-deny", namespace: `vcluster-t${i}` }, spec: { podSelector: {} } } }),
];

function generate(): PulumiResource[] {
    const random = prng(20261127);
    const resources: PulumiResource[] = [];
    for (let i = 0; i < COUNT; i++) {
        const pick = generators[Math.floor(random() * generators.length)];
        resources.push(pick(i, random() < 0.2));
    }
    return resources;
}

type Result = { manifests: number; checks: number; violations: number; ms: number; manifestsPerSecond: number };

function time(fn: () => { checks: number; violations: number }, manifests: number): Result {
    fn(); // warm-up
    const start = performance.now();
    const { checks, violations } = fn();
    const ms = performance.now() - start;
    return { manifests, checks, violations, ms: Math.round(ms * 10) / 10, manifestsPerSecond: Math.round((manifests / ms) * 1000) };
}

function runtimeGroup(rules: readonly RuntimeRule[], resources: PulumiResource[]) {
    return () => {
        let checks = 0;
        let violations = 0;
        const context = { settings: {}, environment: "prod" };
        for (const resource of resources) {
            for (const rule of rules) {
                if (applies(rule, resource.type)) {
                    checks++;
                    violations += rule.check(manifestOf(resource.type, resource.props), contextFor(rule.id, context)).length;
                }
            }
        }
        return { checks, violations };
    };
}

/** A rule's context as the evaluator resolves it from prod.json (the same settings the total row uses). */
function contextFor(id: string, fallback: { settings: Record<string, unknown>; environment: string }) {
    const context = config.policies.get(id)?.context;
    return context ? { settings: context.settings, environment: context.environment ?? fallback.environment } : fallback;
}

function main(): void {
    const resources = generate();
    const context = { settings: {}, environment: "prod" };
    const results: Record<string, Result> = {
        // Groups by scope (the catalog's folders), runtime split into its pod rules and the rest.
        "runtime: pod rules": time(runtimeGroup(podRules, resources), COUNT),
        "runtime: other rules": time(runtimeGroup(runtimeRules.filter((rule) => !podRules.includes(rule)), resources), COUNT),
        platform: time(() => {
            let checks = 0;
            let violations = 0;
            for (const resource of resources) {
                for (const rule of platformRules) {
                    if (rule.resourceTypes.includes(resource.type)) {
                        checks++;
                        violations += rule.check(resource, contextFor(rule.id, context)).length;
                    }
                }
            }
            return { checks, violations };
        }, COUNT),
        stack: time(() => {
            let violations = 0;
            for (const rule of stackRules) violations += rule.check(resources, context).length;
            return { checks: stackRules.length, violations };
        }, COUNT),
        "total (evaluate, prod.json)": time(() => {
            let violations = 0;
            violations += evaluate(resources, config, { environment: "prod" }).length;
            return { checks: runtimeRules.length + platformRules.length + stackRules.length, violations };
        }, COUNT),
    };
    const rows = Object.entries(results).map(([group, r]) => ({
        group,
        "manifests/s": r.manifestsPerSecond.toLocaleString("en-US"),
        ms: r.ms,
        checks: r.checks,
        violations: r.violations,
    }));
    console.log(`Policy evaluation over ${COUNT.toLocaleString("en-US")} generated resources (node ${process.version}):`);
    console.table(rows);
    const out = process.argv[2];
    if (out) {
        fs.writeFileSync(out, `${JSON.stringify({ count: COUNT, node: process.version, results }, null, 2)}\n`);
        console.log(`wrote ${out}`);
    }
}

main();
