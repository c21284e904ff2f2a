// The one shape of a Kubernetes object the components build, and the one way to register it:
// pure builders return a Manifest; a component hands it to registerManifest.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A Kubernetes object as plain data. */
export interface Manifest {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** Kinds registered through their typed @pulumi/kubernetes class (same type token, checked inputs); every other kind is a CustomResource. */
const TYPED: Record<string, ResourceClass> = {
    "v1/Namespace": k8s.core.v1.Namespace,
    "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
    "networking.k8s.io/v1/NetworkPolicy": k8s.networking.v1.NetworkPolicy,
    "networking.k8s.io/v1/Ingress": k8s.networking.v1.Ingress,
    "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
    "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
};

/** Registers a manifest as the Pulumi resource of its kind. */
export function registerManifest(name: string, manifest: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const Typed = TYPED[`${manifest.apiVersion}/${manifest.kind}`];
    if (Typed) return new Typed(name, manifest as never, opts);
    return new k8s.apiextensions.CustomResource(name, manifest as k8s.apiextensions.CustomResourceArgs, opts);
}

/** One object a component plans: its role (the child is `<component>-<role>`), its manifest, and the roles of the same plan it waits for. */
export interface PlannedManifest {
    role: string;
    manifest: Manifest;
    after: string[];
}

/** Registers a component's planned manifests in order under `parent`, each after `dependsOn` and the roles it names. */
export function registerPlanned(parent: pulumi.ComponentResource, name: string, planned: PlannedManifest[], dependsOn: pulumi.Input<pulumi.Resource>[]): void {
    const created = new Map<string, pulumi.CustomResource>();
    for (const object of planned) {
        created.set(object.role, registerManifest(`${name}-${object.role}`, object.manifest, {
            parent,
            dependsOn: [...dependsOn, ...object.after.map((role) => created.get(role)!)],
        }));
    }
}
