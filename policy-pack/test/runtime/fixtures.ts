// Fixture builders for the workload rule specs: one pod that complies with every workload
// rule, wrapped into each pod-bearing kind, and mutated per test case.

import { expect } from "chai";

import type { Manifest, RuleContext, RuntimeRule, Violation } from "../../catalog/core/types";
import { CaseList, ruleCases } from "../cases";
import type { RuleCases } from "../cases";

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

/** Applies `edit` to every container, init container and ephemeral container of the pod spec. */
export function everyContainer(pod: Pod, edit: (container: Pod) => void): void {
    for (const list of [pod.containers, pod.initContainers, pod.ephemeralContainers]) {
        list.forEach(edit);
    }
}

/** Makes the pod a Windows pod (`spec.os.name: windows`), which the restricted profile exempts from some checks (Kubernetes 1.25+). */
export function onWindows(pod: Pod): void {
    pod.os = { name: "windows" };
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
// Case builders: the workload rules' fixtures, shared by their CrossGuard specs and the Kyverno run.

/** Cases of a workload rule: mutations of the compliant pod, in every pod-bearing kind where it matters. */
export class WorkloadCases extends CaseList {
    /** The compliant fixture as every pod-bearing kind, and a kind without a pod: all pass. */
    compliant(): this {
        for (const { kind } of POD_KIND_CASES) {
            this.add(`passes a compliant ${kind}`, workload(kind), []);
        }
        this.add("ignores kinds without a pod template", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: {} }, []);
        this.add("ignores a workload whose pod template is not there yet", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app", namespace: "team-a" }, spec: {} }, []);
        return this;
    }

    /** One case per pod-bearing kind: `mutate` applied to the pod yields exactly `expected(podPath)`. */
    everyKind(title: string, mutate: (pod: Pod) => void, expected: (podPath: string) => Violation[]): this {
        for (const { kind, podPath } of POD_KIND_CASES) {
            this.add(`${title} (${kind})`, workload(kind, mutate), expected(podPath));
        }
        return this;
    }

    /** A Pod built by mutating the compliant pod spec yields exactly `expected`. */
    pod(title: string, mutate: (pod: Pod) => void, expected: Violation[], podMetadata?: Pod): this {
        return this.add(title, pod(mutate, podMetadata), expected);
    }
}

/** The cases of a workload rule, under the settings every workload spec runs with. */
export function workloadCases(rule: RuntimeRule, build: (cases: WorkloadCases) => void, ruleContext: RuleContext = context): RuleCases {
    return ruleCases(rule, ruleContext, (list) => {
        const cases = new WorkloadCases();
        build(cases);
        list.cases.push(...cases.cases);
    });
}

/** The rule looks at every pod-bearing kind. */
export function itCoversEveryPodKind(rule: RuntimeRule): void {
    it("covers every pod-bearing kind", () => {
        expect(rule.kinds).to.include.members(POD_KIND_CASES.map((c) => c.kind));
    });
}
