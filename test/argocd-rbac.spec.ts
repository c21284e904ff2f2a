// Who may do what in Argo CD (issue 12, item 1), decided by Casbin with Argo CD's model over the
// policy.csv and policy.default the program renders and every AppProject's roles (test/argocd-rbac.ts
// says what of Argo CD is restated there). No tenant's owners reach another tenant's project, a
// signed-in user without groups can do nothing, platform admins keep admin, and only the
// configured groups read everything.
import { expect } from "chai";
import fc from "fast-check";
import { rbacPolicy } from "../components/hub/argocd";
import { appProjectManifest, ownerPolicies } from "../components/tenant/manifests";
import { applicationName, tenantNames } from "../components/tenant/naming";
import type { RecordedResource, RunResult } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import type { TenantConfig } from "../stacks/schema";
import { ArgoCdRbac, ProjectRoles, RbacConfig, Subject } from "./argocd-rbac";
import { byName, ofType, runStack } from "./helpers";
import { adversarialTenantSets } from "./tenant-generators";
import { loadTenants, manifestContext } from "./tenant-fixtures";

const APP_ACTIONS = ["get", "create", "update", "update/spec", "delete", "delete/apps/Deployment/web", "sync", "rollback", "override", "action/apps/Deployment/restart"];

/** Every request that touches project `project` (its Applications `apps`), as resource, action, object. */
function requestsOn(project: string, apps: string[]): [string, string, string][] {
    const objects = [...apps.map((app) => `${project}/${app}`), `${project}/anything`];
    return [
        ...objects.flatMap((object) => [
            ...APP_ACTIONS.map((action): [string, string, string] => ["applications", action, object]),
            ["logs", "get", object], ["exec", "create", object], ["exec", "debug", object],
            ...["get", "create", "update", "delete"].map((action): [string, string, string] => ["applicationsets", action, object]),
        ] as [string, string, string][]),
        ...["get", "create", "update", "delete"].map((action): [string, string, string] => ["projects", action, project]),
        ["repositories", "get", `${project}/https://github.com/acme/${project}.git`],
        ["repositories", "create", `${project}/https://github.com/acme/${project}.git`],
        ["clusters", "get", `${project}/https://${project}.vcluster-${project}.svc:443`],
        ["clusters", "update", `${project}/https://${project}.vcluster-${project}.svc:443`],
    ];
}

/** Requests on nothing of any project: the platform-wide resources. */
const PLATFORM_REQUESTS: [string, string, string][] = [
    ["clusters", "get", "https://kubernetes.default.svc"], ["clusters", "create", "https://x.example.com"],
    ["repositories", "get", "https://github.com/acme/platform-gitops.git"], ["certificates", "get", "*"], ["accounts", "get", "admin"],
    ["accounts", "update", "admin"], ["gpgkeys", "get", "*"], ["projects", "create", "new-project"], ["applications", "get", "platform/root"],
    ["applications", "sync", "platform/root"], ["logs", "get", "platform/root"], ["projects", "get", "default"], ["projects", "get", "platform"],
];

async function allowedOf(rbac: ArgoCdRbac, subject: Subject, requests: [string, string, string][]): Promise<string[]> {
    const allowed: string[] = [];
    for (const [resource, action, object] of requests) {
        if (await rbac.allows(subject, resource, action, object)) allowed.push(`${resource}, ${action}, ${object}`);
    }
    return allowed;
}

/** The hub's own AppProjects (no roles): `default` and `platform`. */
const HUB_PROJECTS: ProjectRoles[] = [{ name: "default", roles: [] }, { name: "platform", roles: [] }];

function projectsOf(tenants: TenantConfig[]): ProjectRoles[] {
    const ctx = manifestContext("dev");
    return [...HUB_PROJECTS, ...tenants.filter((t) => t.state === "active").map((t) => {
        const project = appProjectManifest(t, ctx);
        return { name: project.metadata.name, roles: (project.spec as { roles: ProjectRoles["roles"] }).roles };
    })];
}

function recordedRbac(result: RunResult): { rbac: RbacConfig; projects: ProjectRoles[] } {
    const values = byName(result, "kubernetes:helm.sh/v4:Chart", "argocd-chart").inputs.values as { configs: { rbac: RbacConfig } };
    const projects = ofType(result, "kubernetes:argoproj.io/v1alpha1:AppProject").map((r: RecordedResource) => {
        const object = r.inputs as { metadata: { name: string }; spec: { roles?: ProjectRoles["roles"] } };
        return { name: object.metadata.name, roles: object.spec.roles ?? [] };
    });
    return { rbac: values.configs.rbac, projects };
}

const appsOf = (tenant: TenantConfig) => tenant.applications.map((app) => applicationName(tenant.name, app.name));
const ANONYMOUS: Subject[] = [{ sub: "", groups: [] }, { sub: "someone@example.com", groups: [] }];

describe("Argo CD RBAC, evaluated by Casbin", function () {
    this.timeout(300_000);

    describe("the committed stacks", () => {
        let dev: RunResult;
        let prod: RunResult;
        before(async () => {
            dev = await runStack("dev");
            prod = await runStack("prod", {
                platform: { ...(readStackFile("prod").config.platform as object), argocd: { ...(readStackFile("prod").config.platform as any).argocd, readOnlyGroups: ["sre-oncall"] } },
            });
        });

        it("renders no default role, admin for the admin groups, read-only for the read-only groups", () => {
            expect(recordedRbac(dev).rbac).to.deep.equal({ "policy.default": "", "policy.csv": "g, platform-admins, role:admin\n", scopes: "[groups]" });
            expect(recordedRbac(prod).rbac).to.deep.equal({ "policy.default": "", "policy.csv": "g, platform-admins, role:admin\ng, sre-oncall, role:readonly\n", scopes: "[groups]" });
        });

        it("fails when a member of team-b-admins could read team-a's Applications, logs or project (dev)", async () => {
            const { rbac, projects } = recordedRbac(dev);
            const engine = new ArgoCdRbac(rbac, projects);
            expect(await allowedOf(engine, { sub: "bob", groups: ["team-b-admins"] }, requestsOn("team-a", ["team-a.webapp"]))).to.deep.equal([]);
        });

        it("lets team-a's owners do everything with their own Applications and read their logs, and nothing else (dev)", async () => {
            const { rbac, projects } = recordedRbac(dev);
            const engine = new ArgoCdRbac(rbac, projects);
            const owner = { sub: "alice", groups: ["team-a-admins"] };
            expect(await allowedOf(engine, owner, requestsOn("team-a", ["team-a.webapp"]))).to.deep.equal([
                ...["team-a.webapp", "anything"].flatMap((app) => [...APP_ACTIONS.map((action) => `applications, ${action}, team-a/${app}`), `logs, get, team-a/${app}`]),
                "projects, get, team-a",
            ]);
            expect(await allowedOf(engine, owner, PLATFORM_REQUESTS)).to.deep.equal([]);
        });

        it("lets nobody without groups do anything, in dev and prod", async () => {
            for (const result of [dev, prod]) {
                const { rbac, projects } = recordedRbac(result);
                const engine = new ArgoCdRbac(rbac, projects);
                const every = [...PLATFORM_REQUESTS, ...projects.flatMap((p) => requestsOn(p.name, [`${p.name}.app`]))];
                for (const subject of ANONYMOUS) expect(await allowedOf(engine, subject, every)).to.deep.equal([]);
            }
        });

        it("keeps platform-admins admin on every project, and gives sre-oncall read on everything and nothing more (prod)", async () => {
            const { rbac, projects } = recordedRbac(prod);
            const engine = new ArgoCdRbac(rbac, projects);
            const requests = requestsOn("payments", ["payments.ledger"]);
            const admin = await allowedOf(engine, { sub: "root", groups: ["platform-admins"] }, requests);
            // Everything but what Argo CD's role:admin itself lacks: nothing in this list.
            expect(admin).to.deep.equal(requests.map((r) => r.join(", ")));
            expect(await allowedOf(engine, { sub: "sre", groups: ["sre-oncall"] }, requests)).to.deep.equal([
                "applications, get, payments/payments.ledger", "logs, get, payments/payments.ledger", "applicationsets, get, payments/payments.ledger",
                "applications, get, payments/anything", "logs, get, payments/anything", "applicationsets, get, payments/anything",
                "projects, get, payments", "repositories, get, payments/https://github.com/acme/payments.git", "clusters, get, payments/https://payments.vcluster-payments.svc:443",
            ]);
            expect(await allowedOf(engine, { sub: "x", groups: ["payments-admins"] }, requestsOn("search", ["search.indexer"]))).to.deep.equal([]);
        });

        it("grants exec only to the owners of a tenant whose entry asks for it", async () => {
            const [withExec, without] = loadTenants("dev", [
                { name: "team-a", ownerGroups: ["team-a-admins"], argocd: { exec: true } },
                { name: "team-b", ownerGroups: ["team-b-admins"] },
            ]);
            expect(ownerPolicies(withExec)).to.deep.equal([
                "p, proj:team-a:owners, applications, *, team-a/*, allow",
                "p, proj:team-a:owners, logs, get, team-a/*, allow",
                "p, proj:team-a:owners, exec, create, team-a/*, allow",
            ]);
            const engine = new ArgoCdRbac(rbacPolicy(["platform-admins"]) as unknown as RbacConfig, projectsOf([withExec, without]));
            expect(await engine.allows({ sub: "a", groups: ["team-a-admins"] }, "exec", "create", "team-a/team-a.web")).to.equal(true);
            expect(await engine.allows({ sub: "b", groups: ["team-b-admins"] }, "exec", "create", "team-b/team-b.web")).to.equal(false);
            expect(await engine.allows({ sub: "a", groups: ["team-a-admins"] }, "exec", "create", "team-b/team-b.web")).to.equal(false);
        });

        it("fails when a policy line has a field too many, as Argo CD refuses the whole policy", () => {
            expect(() => new ArgoCdRbac({ "policy.default": "", "policy.csv": "g, a,b, role:admin\n", scopes: "[groups]" }, [])).to.throw("invalid RBAC policy: g, a,b, role:admin: Argo CD refuses the whole policy over it");
        });
    });

    describe("properties over random tenant sets (1–50 tenants, adversarial names and groups)", () => {
        const platformGroups = fc.record({
            admins: fc.uniqueArray(fc.constantFrom("platform-admins", "admins", "team-admins", "*", "platform-admins*"), { maxLength: 2 }),
            readers: fc.uniqueArray(fc.constantFrom("sre-oncall", "auditors", "team-readers", "readers*"), { maxLength: 2 }),
        });

        it("no subject of tenant A can do anything on project B; without groups nobody can do anything; admins keep admin; only the read-only groups read (builders)", async () => {
            await fc.assert(fc.asyncProperty(adversarialTenantSets(50), platformGroups, fc.nat(), async (raw, groups, seed) => {
                const tenants = loadTenants("dev", raw);
                const engine = new ArgoCdRbac(rbacPolicy(groups.admins, groups.readers) as unknown as RbacConfig, projectsOf(tenants));
                const active = tenants.filter((t) => t.state === "active");
                for (const [i, a] of tenants.entries()) {
                    // Two other tenants per tenant: the next in the list (adversarial pairs sit together) and one at random.
                    // One subject holding all of A's groups asks for what any of them may do.
                    const others = tenants.filter((b) => b.name !== a.name);
                    const picked = others.length === 0 ? [] : [...new Set([others[i % others.length], others[(i + seed) % others.length]])];
                    for (const b of picked) {
                        expect(await allowedOf(engine, { sub: `${a.name}-member`, groups: a.ownerGroups }, requestsOn(b.name, appsOf(b).slice(0, 1))), `${a.ownerGroups.join(", ")} of ${a.name} on ${b.name}`).to.deep.equal([]);
                    }
                    // A decommissioned tenant's owners have nothing left, not even on their own project.
                    if (a.state !== "active") {
                        expect(await allowedOf(engine, { sub: "x", groups: a.ownerGroups }, requestsOn(a.name, appsOf(a))), a.name).to.deep.equal([]);
                    }
                }
                const sample = active.slice(0, 3);
                for (const subject of ANONYMOUS) {
                    expect(await allowedOf(engine, subject, [...PLATFORM_REQUESTS, ...sample.flatMap((t) => requestsOn(t.name, appsOf(t)))])).to.deep.equal([]);
                }
                for (const t of sample) {
                    const requests = requestsOn(t.name, appsOf(t));
                    for (const group of groups.admins) {
                        expect(await allowedOf(engine, { sub: "root", groups: [group] }, requests), group).to.deep.equal(requests.map((r) => r.join(", ")));
                    }
                    const reads = requests.filter(([resource, action]) => action === "get" && resource !== "exec").map((r) => r.join(", "));
                    for (const group of groups.readers.filter((g) => !(groups.admins as string[]).includes(g))) {
                        expect(await allowedOf(engine, { sub: "sre", groups: [group] }, requests), group).to.deep.equal(reads);
                    }
                    // The owners' own project: their Applications and logs, and get on the project.
                    const owner = { sub: "owner", groups: [t.ownerGroups[0]] };
                    expect(await engine.allows(owner, "applications", "sync", `${t.name}/${applicationName(t.name, "x")}`)).to.equal(true);
                    expect(await engine.allows(owner, "projects", "update", tenantNames(t.name).tenant)).to.equal(false);
                }
            }), { numRuns: 20 });
        });

        it("through the program: the same holds for the rbac and AppProjects it registers", async () => {
            await fc.assert(fc.asyncProperty(adversarialTenantSets(50, "small"), async (raw) => {
                const tenants = loadTenants("dev", raw);
                const result = await runStack("dev", { tenants: raw });
                const { rbac, projects } = recordedRbac(result);
                expect(projects.map((p) => p.name).sort()).to.deep.equal(projectsOf(tenants).map((p) => p.name).sort());
                const engine = new ArgoCdRbac(rbac, projects);
                for (const [i, a] of tenants.entries()) {
                    const b = tenants[(i + 1) % tenants.length];
                    if (b.name === a.name) continue;
                    expect(await allowedOf(engine, { sub: "m", groups: a.ownerGroups }, requestsOn(b.name, appsOf(b))), `${a.name} on ${b.name}`).to.deep.equal([]);
                }
                for (const subject of ANONYMOUS) {
                    expect(await allowedOf(engine, subject, [...PLATFORM_REQUESTS, ...tenants.slice(0, 5).flatMap((t) => requestsOn(t.name, appsOf(t)))])).to.deep.equal([]);
                }
            }), { numRuns: 3 });
        });
    });
});
