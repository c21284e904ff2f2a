// What the hub add-ons share: the platform namespace every add-on creates (its manifest, and the
// one helper that registers it), the Helm chart arguments built from components/versions.ts, the
// secure-by-default container settings and the cert-manager Certificates they request.
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_LABEL, PLATFORM_LABEL } from "../../policy-pack/catalog/core/conventions";
import type { Environment } from "../../stacks/schema";
import { Manifest, registerManifest } from "../manifest";
import type { ChartRef } from "../versions";

/**
 * A platform add-on's namespace: the platform marker, the environment, and the `restricted` Pod
 * Security Standard enforced (every add-on runs non-root, read-only, without capabilities, with
 * RuntimeDefault seccomp), warned and audited.
 */
export function platformNamespaceManifest(name: string, environment: Environment): Manifest {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name,
            labels: {
                [PLATFORM_LABEL]: "true",
                [ENVIRONMENT_LABEL]: environment,
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            },
        },
    };
}

/** Registers a platform add-on's namespace (`<component>-namespace`) under the component. */
export function platformNamespace(component: pulumi.ComponentResource, name: string, namespace: string, environment: Environment, opts: pulumi.CustomResourceOptions = {}): pulumi.CustomResource {
    return registerManifest(`${name}-namespace`, platformNamespaceManifest(namespace, environment), { parent: component, ...opts });
}

/** The `helm.v4.Chart` arguments of a pinned chart: repo and exact version from versions.ts. */
export function chartArgs(ref: ChartRef, release: string, namespace: string, values: Record<string, unknown>) {
    return {
        chart: ref.chart,
        version: ref.version,
        repositoryOpts: { repo: ref.repo },
        name: release,
        namespace,
        values,
    };
}

/** Container security context that satisfies the `restricted` Pod Security Standard. */
export const RESTRICTED_CONTAINER: {
    runAsNonRoot: boolean; allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean;
    capabilities: { drop: string[] }; seccompProfile: { type: string };
} = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** Pod security context that satisfies the `restricted` Pod Security Standard. */
export const RESTRICTED_POD: { runAsNonRoot: boolean; seccompProfile: { type: string } } = {
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
};

/** A cert-manager Certificate for an ECDSA P-256 key that is replaced on every renewal, signed by a ClusterIssuer. */
export function certificate(name: string, namespace: string, clusterIssuer: string, spec: Record<string, unknown>) {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name, namespace },
        spec: {
            ...spec,
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            issuerRef: { name: clusterIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
    };
}

/** Requests and limits; every platform container gets both so the scheduler and quotas can plan. */
export function resources(cpuRequest: string, memoryRequest: string, cpuLimit: string, memoryLimit: string) {
    return { requests: { cpu: cpuRequest, memory: memoryRequest }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

/**
 * The component's own `dependsOn`, for its children: Pulumi does not pass a component's
 * dependencies on to its children, so a custom resource whose CRD another component brings
 * (cert-manager's Certificate, External Secrets' ExternalSecret) must name them itself.
 */
export function inheritedDependsOn(opts?: pulumi.ComponentResourceOptions): pulumi.Input<pulumi.Resource>[] {
    const dependsOn = opts?.dependsOn;
    if (dependsOn === undefined) return [];
    if (Array.isArray(dependsOn)) return dependsOn;
    if (pulumi.Output.isInstance(dependsOn)) {
        throw new Error("hub components take dependsOn as a resource or a list of resources, not as an Output");
    }
    return [dependsOn as pulumi.Input<pulumi.Resource>];
}
