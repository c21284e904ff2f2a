// No two objects of a whole stack share apiVersion, kind, namespace and name (issue 12, item 3),
// over random sets of 1–50 tenants that include pairs built to collide under `-`-joined names
// (test/tenant-generators.ts). "Objects" are everything the stack registers, the Secrets its
// ExternalSecrets and Certificates produce, the Applications the hub's ApplicationSets will
// generate for the tenants' cluster secrets, and the Vault policies, roles and mounts; and no two
// resources share a URN.
import { expect } from "chai";
import fc from "fast-check";
import type { Manifest } from "../components/manifest";
import { credentialedRepos } from "../components/tenant/manifests";
import { tenantNames } from "../components/tenant/naming";
import { repoVaultRole, tenantVaultRole } from "../components/tenant/vault-policy";
import type { RecordedResource, RunResult } from "../scripts/recorder";
import type { TenantConfig } from "../stacks/schema";
import { runStack } from "./helpers";
import { loadTenants, manifestContext, tenantObjects } from "./tenant-fixtures";
import { adversarialTenantSets } from "./tenant-generators";

type Obj = Record<string, any>;

/** `apiVersion kind namespace/name` of a Kubernetes object. */
const keyOf = (apiVersion: string, kind: string, namespace: string | undefined, name: string) => `${apiVersion} ${kind} ${namespace ?? ""}/${name}`;

/** apiVersion and kind from a Kubernetes type token (`kubernetes:core/v1:Namespace` → v1, Namespace). */
function typeOf(token: string): { apiVersion: string; kind: string } {
    const [, version, kind] = token.split(":");
    return { apiVersion: version.startsWith("core/") ? version.slice("core/".length) : version, kind };
}

/** The objects a Kubernetes object makes the cluster create in turn: Secrets of ExternalSecrets and Certificates. */
function produced(object: Obj): string[] {
    const namespace = object.metadata?.namespace;
    if (object.kind === "ExternalSecret") return [keyOf("v1", "Secret", namespace, object.spec?.target?.name ?? object.metadata.name)];
    if (object.kind === "Certificate") return [keyOf("v1", "Secret", namespace, object.spec.secretName)];
    return [];
}

/** Argo CD cluster secrets as an ApplicationSet's cluster generator sees them: labels and the `name`/`server` it substitutes. */
function clusterSecrets(objects: Obj[]): { labels: Record<string, string>; name: string; server: string }[] {
    return objects.filter((o) => o.kind === "ExternalSecret" && o.spec?.target?.template?.metadata?.labels?.["argocd.argoproj.io/secret-type"] === "cluster")
        .map((o) => ({ labels: o.spec.target.template.metadata.labels, name: o.spec.target.template.data.name, server: o.spec.target.template.data.server }));
}

/** The Applications each ApplicationSet (clusters generator with a label selector) generates. */
function generatedApplications(objects: Obj[]): string[] {
    const clusters = clusterSecrets(objects);
    return objects.filter((o) => o.kind === "ApplicationSet").flatMap((set) => set.spec.generators.flatMap((generator: Obj) => {
        const selector: Record<string, string> = generator.clusters?.selector?.matchLabels ?? {};
        return clusters.filter((c) => Object.entries(selector).every(([k, v]) => c.labels[k] === v)).map((c) => keyOf(
            "argoproj.io/v1alpha1", "Application", set.metadata.namespace,
            String(set.spec.template.metadata.name).replaceAll("{{name}}", c.name).replaceAll("{{server}}", c.server),
        ));
    }));
}

/** Vault objects by the name Vault knows them by. */
function vaultKeys(resources: { type: string; inputs: Obj }[]): string[] {
    return resources.flatMap(({ type, inputs }) => {
        if (type === "vault:index/policy:Policy") return [`vault policy ${inputs.name}`];
        if (type === "vault:kubernetes/authBackendRole:AuthBackendRole") return [`vault role ${inputs.backend}/${inputs.roleName}`];
        if (type === "vault:index/mount:Mount") return [`vault mount ${inputs.path}`];
        return [];
    });
}

function duplicates(keys: string[]): string[] {
    const seen = new Set<string>();
    return [...new Set(keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false))))];
}

/** Every key of a recorded stack: its Kubernetes objects, what they produce and generate, and its Vault objects. */
function stackKeys(result: RunResult): string[] {
    const objects = result.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"))
        .map((r: RecordedResource): Obj => ({ ...typeOf(r.type), ...(r.inputs as Obj) }));
    return [
        ...objects.map((o) => keyOf(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata.name)),
        ...objects.flatMap(produced),
        ...generatedApplications(objects),
        ...vaultKeys(result.resources as { type: string; inputs: Obj }[]),
    ];
}

/** The same keys from the builders the Tenant component uses, for tenants on a recorded hub. */
function builtKeys(hub: RunResult, tenants: TenantConfig[]): string[] {
    const ctx = manifestContext("dev");
    const hubObjects = hub.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"))
        .map((r): Obj => ({ ...typeOf(r.type), ...(r.inputs as Obj) }));
    const built: Manifest[] = tenants.flatMap((t) => tenantObjects(t, ctx));
    const objects: Obj[] = [...hubObjects, ...built];
    const vault = tenants.flatMap((t) => {
        const names = tenantNames(t.name);
        const active = t.state === "active";
        const repos = active && credentialedRepos(t).length > 0;
        return [
            `vault mount ${names.vaultMount}`,
            ...(active ? [`vault policy ${names.vaultPolicy}`, `vault role ${tenantVaultRole(t.name, ctx).backend}/${names.vaultPolicy}`] : []),
            ...(repos ? [`vault policy ${names.repoVaultPolicy}`, `vault role ${repoVaultRole(t.name, ctx).backend}/${names.repoVaultPolicy}`] : []),
        ];
    });
    return [
        ...objects.map((o) => keyOf(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata.name)),
        ...objects.flatMap(produced),
        ...generatedApplications(objects),
        ...vaultKeys(hub.resources as { type: string; inputs: Obj }[]),
        ...vault,
    ];
}

describe("names across the whole stack (random sets of 1–50 tenants with colliding pairs)", function () {
    this.timeout(300_000);
    let hub: RunResult;
    before(async () => { hub = await runStack("dev", { tenants: [] }); });

    it("fails when team/a-web and team-a/web, or x and policies-x, share an object (the fixed pairs)", async () => {
        const result = await runStack("dev", {
            tenants: [
                { name: "team", ownerGroups: ["team-owners"], repos: [{ url: "https://github.com/acme/team.git", type: "git" }], applications: [{ name: "a-web", repoURL: "https://github.com/acme/team.git", path: "a", targetRevision: "main", namespace: "web" }] },
                { name: "team-a", ownerGroups: ["team-a-owners"], repos: [{ url: "https://github.com/acme/team-a.git", type: "git" }], applications: [{ name: "web", repoURL: "https://github.com/acme/team-a.git", path: "a", targetRevision: "main", namespace: "web" }] },
                { name: "x", ownerGroups: ["x-owners"] },
                { name: "policies-x", ownerGroups: ["policies-x-owners"] },
                { name: "y", ownerGroups: ["y-owners"], repos: [{ url: "https://github.com/acme/y.git", type: "git" }], applications: [{ name: "app-z", repoURL: "https://github.com/acme/y.git", path: "a", targetRevision: "main", namespace: "z" }] },
                { name: "y-app", ownerGroups: ["y-app-owners"], repos: [{ url: "https://github.com/acme/y-app.git", type: "git" }], applications: [{ name: "z", repoURL: "https://github.com/acme/y-app.git", path: "a", targetRevision: "main", namespace: "z" }] },
            ],
        });
        expect(duplicates(stackKeys(result))).to.deep.equal([]);
        expect(duplicates(result.resources.map((r) => r.urn))).to.deep.equal([]);
        const apps = stackKeys(result).filter((k) => k.startsWith("argoproj.io/v1alpha1 Application argocd/")).map((k) => k.split("/").pop()).sort();
        expect(apps).to.deep.equal([
            "policies-x.addon.kyverno", "policies-x.addon.kyverno-policies", "root", "team-a.addon.kyverno", "team-a.addon.kyverno-policies", "team-a.web",
            "team.a-web", "team.addon.kyverno", "team.addon.kyverno-policies", "x.addon.kyverno", "x.addon.kyverno-policies",
            "y-app.addon.kyverno", "y-app.addon.kyverno-policies", "y-app.z", "y.addon.kyverno", "y.addon.kyverno-policies", "y.app-z",
        ]);
    });

    it("no two objects share apiVersion, kind, namespace and name (builders on the recorded hub)", () => {
        fc.assert(fc.property(adversarialTenantSets(50), (raw) => {
            const tenants = loadTenants("dev", raw);
            expect(duplicates(builtKeys(hub, tenants))).to.deep.equal([]);
        }), { numRuns: 100 });
    });

    it("through the program: no two objects and no two URNs of the whole stack are the same", async () => {
        await fc.assert(fc.asyncProperty(adversarialTenantSets(50, "small"), async (raw) => {
            const result = await runStack("dev", { tenants: raw });
            expect(duplicates(stackKeys(result))).to.deep.equal([]);
            expect(duplicates(result.resources.map((r) => r.urn))).to.deep.equal([]);
            // Every active tenant with the add-on on gets its generated Application.
            const tenants = loadTenants("dev", raw);
            const generated = generatedApplications(result.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:")).map((r) => ({ ...typeOf(r.type), ...(r.inputs as Obj) })));
            expect(generated.length).to.equal(tenants.filter((t) => t.state === "active").reduce((n, t) => n + Number(t.addons.kyverno) + Number(t.addons["kyverno-policies"]), 0));
        }), { numRuns: 3 });
    });
});
