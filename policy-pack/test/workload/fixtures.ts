// Fixture builders for the workload rule specs: one pod that complies with every workload
// rule, wrapped into each pod-bearing kind, and mutated per test case.

import { expect } from "chai";

import type { Manifest, Rule, RuleContext, Violation } from "../../catalog/types";

// Fixtures are mutated freely by tests; `any` keeps those one-line mutations readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Pod = any;

/** Each pod-bearing kind with the dotted path of its pod spec and pod metadata. */
export const POD_KIND_CASES: readonly { kind: string; podPath: string; metadataPath: string }[] = [
    { kind: "Pod", podPath: "spec", metadataPath: "metadata" },
    { kind: "Deployment", podPath: "spec.template.spec", metadataPath: "spec.template.metadata" },
    { kind: "StatefulSet", podPath: "spec.template.spec", metadataPath: "spec.template.metadata" },
    { kind: "DaemonSet", podPath: "spec.template.spec", metadataPath: "spec.template.metadata" },
    { kind: "ReplicaSet", podPath: "spec.template.spec", metadataPath: "spec.template.metadata" },
    { kind: "Job", podPath: "spec.template.spec", metadataPath: "spec.template.metadata" },
    { kind: "CronJob", podPath: "spec.jobTemplate.spec.template.spec", metadataPath: "spec.jobTemplate.spec.template.metadata" },
];

/** The settings every spec runs with unless it tests a setting. */
export const context: RuleContext = { settings: { allowedRegistries: ["ghcr.io/acme/", "registry.k8s.io/"] }, environment: "dev" };

function hardenedContainer(name: string, image: string): Pod {
    return {
        name,
        image,
        securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
        },
    };
}

/** A pod spec that complies with every workload rule and uses all three container lists. */
export function compliantPodSpec(): Pod {
    const app = hardenedContainer("app", "ghcr.io/acme/app:1.4.2");
    app.ports = [{ name: "http", containerPort: 8080 }];
    app.resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
    app.readinessProbe = { httpGet: { path: "/healthz", port: "http" } };
    app.volumeMounts = [{ name: "config", mountPath: "/etc/app" }];
    const sidecar = hardenedContainer("metrics", "registry.k8s.io/metrics-agent:v0.3.1");
    sidecar.resources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
    sidecar.livenessProbe = { tcpSocket: { port: 9100 } };
    return {
        securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
            sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
        },
        containers: [app, sidecar],
        initContainers: [hardenedContainer("migrate", "ghcr.io/acme/migrate:1.4.2")],
        ephemeralContainers: [hardenedContainer("debug", "ghcr.io/acme/debug@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")],
        volumes: [
            { name: "config", configMap: { name: "app" } },
            { name: "tmp", emptyDir: {} },
        ],
    };
}

/**
 * A manifest of `kind` carrying `podSpec` (default: the compliant one) in the place that
 * kind keeps its pod, in namespace `team-a`. `mutate` edits the pod spec in place.
 */
export function workload(kind: string, mutate?: (pod: Pod) => void, podMetadata: Pod = { labels: { app: "app" } }): Manifest {
    const pod = compliantPodSpec();
    mutate?.(pod);
    const metadata = { name: "app", namespace: "team-a" };
    switch (kind) {
        case "Pod":
            return { apiVersion: "v1", kind, metadata: { ...metadata, ...podMetadata }, spec: pod };
        case "CronJob":
            return {
                apiVersion: "batch/v1",
                kind,
                metadata,
                spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { metadata: podMetadata, spec: pod } } } },
            };
        case "Job":
            return { apiVersion: "batch/v1", kind, metadata, spec: { template: { metadata: podMetadata, spec: pod } } };
        default:
            return {
                apiVersion: "apps/v1",
                kind,
                metadata,
                spec: { selector: { matchLabels: { app: "app" } }, template: { metadata: podMetadata, spec: pod } },
            };
    }
}

/** Shorthand for a Pod manifest built from the compliant pod spec. */
export function pod(mutate?: (pod: Pod) => void, podMetadata?: Pod): Manifest {
    return workload("Pod", mutate, podMetadata);
}

// ---------------------------------------------------------------------------------------
// Shared table tests.


/** The compliant fixture passes with `[]` as every pod-bearing kind; other kinds are ignored. */
export function itPassesCompliantWorkloads(rule: Rule, ruleContext: RuleContext = context): void {
    for (const { kind } of POD_KIND_CASES) {
        it(`passes a compliant ${kind}`, () => {
            expect(rule.check(workload(kind), ruleContext)).to.deep.equal([]);
        });
    }
    it("ignores kinds without a pod template", () => {
        const configMap: Manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: {} };
        expect(rule.check(configMap, ruleContext)).to.deep.equal([]);
    });
    it("ignores a workload whose pod template is not there yet", () => {
        expect(rule.check({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app", namespace: "team-a" }, spec: {} }, ruleContext)).to.deep.equal([]);
    });
    it("covers every pod-bearing kind", () => {
        expect(rule.kinds).to.include.members(POD_KIND_CASES.map((c) => c.kind));
    });
}

/** One `it` per pod-bearing kind: `mutate` applied to the pod yields exactly `expected(podPath)`. */
export function itFlagsEveryKind(
    rule: Rule,
    title: string,
    mutate: (pod: Pod) => void,
    expected: (podPath: string) => Violation[],
    ruleContext: RuleContext = context,
): void {
    for (const { kind, podPath } of POD_KIND_CASES) {
        it(`${title} (${kind})`, () => {
            expect(rule.check(workload(kind, mutate), ruleContext)).to.deep.equal(expected(podPath));
        });
    }
}

/** Asserts the exact violation list of a Pod built by mutating the compliant pod spec. */
export function expectPodViolations(rule: Rule, mutate: (pod: Pod) => void, expected: Violation[], ruleContext: RuleContext = context): void {
    expect(rule.check(pod(mutate), ruleContext)).to.deep.equal(expected);
}
