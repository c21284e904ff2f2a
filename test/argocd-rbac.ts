// Argo CD's authorisation, evaluated by Casbin (the engine inside Argo CD) over what the program
// renders: `configs.rbac` of the argo-cd chart (policy.csv, policy.default) and every AppProject's
// `spec.roles`. What Argo CD adds around Casbin is restated here as facts from Argo CD's
// documentation and code (v3.x, the argo-cd chart 9.1.0 ships v3.2.0):
//   - the model (assets/model.conf): request (sub, res, act, obj), policy (sub, res, act, obj,
//     eft), one role relation g, "allow when some policy allows and none denies", and a matcher
//     that relates subjects through g and compares res, act and obj with globOrRegexMatch, which
//     in the default `policy.matchMode: glob` is a glob without separators (`*` also matches `/`);
//   - the built-in policy (assets/builtin-policy.csv): role:readonly and role:admin below, with
//     role:admin inheriting role:readonly and the local user `admin` holding role:admin;
//   - an AppProject's roles become, per role: `p, proj:<project>:<role>, projects, get,
//     <project>, allow`, the role's own policy lines, and `g, <group>, proj:<project>:<role>` per
//     group (AppProject.ProjectPoliciesString); they are loaded with the built-in and the user
//     policy for requests on an object of that project only (applications, applicationsets,
//     logs, exec, clusters and repositories name it as `<project>/…`, projects as `<project>`);
//   - a request is allowed when the default role (policy.default, when set) is allowed, or the
//     user's subject, or any of the groups in the token's scopes (`scopes: [groups]`);
//   - each policy line is read as one CSV record: a `p` line has exactly 6 fields, a `g` line 3,
//     or Argo CD refuses the whole policy.
import { newEnforcer, newModelFromString, Enforcer } from "casbin";
import wildcardMatch from "wildcard-match";

export const ARGOCD_MODEL = [
    "[request_definition]", "r = sub, res, act, obj", "",
    "[policy_definition]", "p = sub, res, act, obj, eft", "",
    "[role_definition]", "g = _, _", "",
    "[policy_effect]", "e = some(where (p.eft == allow)) && !some(where (p.eft == deny))", "",
    "[matchers]", "m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)",
].join("\n");

type Grant = [resource: string, action: string, object: string];

/** The grants of role:readonly in Argo CD's built-in policy. */
const READONLY: Grant[] = [
    ["applications", "get", "*/*"], ["applicationsets", "get", "*/*"], ["certificates", "get", "*"], ["clusters", "get", "*"],
    ["repositories", "get", "*"], ["write-repositories", "get", "*"], ["projects", "get", "*"], ["accounts", "get", "*"],
    ["gpgkeys", "get", "*"], ["logs", "get", "*/*"],
];

/** The grants of role:admin in Argo CD's built-in policy (besides inheriting role:readonly). */
const ADMIN: Grant[] = [
    ...["create", "update", "update/*", "delete", "delete/*", "sync", "rollback", "override", "action/*"].map((a): Grant => ["applications", a, "*/*"]),
    ...["get", "create", "update", "delete"].map((a): Grant => ["applicationsets", a, "*/*"]),
    ...["certificates", "clusters", "repositories", "write-repositories", "projects"].flatMap((r) => ["create", "update", "delete"].map((a): Grant => [r, a, "*"])),
    ["accounts", "update", "*"], ["gpgkeys", "create", "*"], ["gpgkeys", "delete", "*"],
    ["exec", "create", "*/*"], ["exec", "debug", "*/*"],
];

/** Argo CD's built-in policy as policy lines. */
export function builtinPolicyLines(): string[] {
    return [
        ...READONLY.map(([r, a, o]) => `p, role:readonly, ${r}, ${a}, ${o}, allow`),
        ...ADMIN.map(([r, a, o]) => `p, role:admin, ${r}, ${a}, ${o}, allow`),
        "g, role:admin, role:readonly",
        "g, admin, role:admin",
    ];
}

/** Resources whose objects are `<project>/<name>`. */
export const PROJECT_SCOPED = ["applications", "applicationsets", "logs", "exec", "clusters", "repositories"] as const;

export interface ProjectRoles {
    name: string;
    roles: { name: string; policies?: string[]; groups?: string[] }[];
}

/** An AppProject's roles as the policy lines Argo CD loads for its objects. */
export function projectPolicyLines(project: ProjectRoles): string[] {
    return project.roles.flatMap((role) => [
        `p, proj:${project.name}:${role.name}, projects, get, ${project.name}, allow`,
        ...(role.policies ?? []),
        ...(role.groups ?? []).map((group) => `g, ${group}, proj:${project.name}:${role.name}`),
    ]);
}

/** One policy line as Argo CD reads it; throws where Argo CD would refuse the policy. */
export function parsePolicyLine(line: string): { ptype: "p" | "g"; fields: string[] } | undefined {
    const text = line.trim();
    if (text === "" || text.startsWith("#")) return undefined;
    // Argo CD reads quoted fields too; nothing the program renders is quoted, so a quote here is a defect.
    if (text.includes("\"")) throw new Error(`policy line ${JSON.stringify(line)} has a quote, which this evaluator does not read`);
    const tokens = text.split(",").map((t) => t.replace(/^\s+/, ""));
    const [ptype, ...fields] = tokens;
    if ((ptype === "p" && tokens.length === 6) || (ptype === "g" && tokens.length === 3)) return { ptype, fields };
    throw new Error(`invalid RBAC policy: ${line}: Argo CD refuses the whole policy over it`);
}

export interface RbacConfig {
    "policy.csv": string;
    "policy.default": string;
    scopes: string;
}

/** Who asks: the token's subject and the groups in its scopes. */
export interface Subject {
    sub: string;
    groups: string[];
}

export class ArgoCdRbac {
    private readonly enforcers = new Map<string, Promise<Enforcer>>();
    private readonly projects: Map<string, ProjectRoles>;

    constructor(private readonly rbac: RbacConfig, projects: ProjectRoles[]) {
        if (rbac.scopes !== "[groups]") throw new Error(`scopes ${JSON.stringify(rbac.scopes)}: this evaluator reads the groups claim only`);
        this.projects = new Map(projects.map((p) => [p.name, p]));
        // Argo CD refuses a policy with a malformed line; so does this, at once.
        for (const line of [...this.rbac["policy.csv"].split("\n"), ...projects.flatMap(projectPolicyLines)]) parsePolicyLine(line);
    }

    /** The project whose roles Argo CD loads for this request, if any. */
    static projectOf(resource: string, object: string): string | undefined {
        if (resource === "projects") return object;
        if ((PROJECT_SCOPED as readonly string[]).includes(resource) && object.includes("/")) return object.split("/")[0];
        return undefined;
    }

    private enforcer(project: string | undefined): Promise<Enforcer> {
        const roles = project === undefined ? undefined : this.projects.get(project);
        const key = roles?.name ?? "";
        let found = this.enforcers.get(key);
        if (!found) {
            found = (async () => {
                const enforcer = await newEnforcer(newModelFromString(ARGOCD_MODEL));
                enforcer.addFunction("globOrRegexMatch", (value: string, pattern: string) => wildcardMatch(pattern, { separator: false })(value));
                const lines = [...builtinPolicyLines(), ...this.rbac["policy.csv"].split("\n"), ...(roles ? projectPolicyLines(roles) : [])];
                for (const line of lines) {
                    const parsed = parsePolicyLine(line);
                    if (!parsed) continue;
                    if (parsed.ptype === "p") await enforcer.addPolicy(...parsed.fields);
                    else await enforcer.addGroupingPolicy(...parsed.fields);
                }
                return enforcer;
            })();
            this.enforcers.set(key, found);
        }
        return found;
    }

    /** Whether Argo CD allows `subject` to do `action` on `resource` `object`. */
    async allows(subject: Subject, resource: string, action: string, object: string): Promise<boolean> {
        const enforcer = await this.enforcer(ArgoCdRbac.projectOf(resource, object));
        const defaultRole = this.rbac["policy.default"];
        for (const who of [...(defaultRole ? [defaultRole] : []), subject.sub, ...subject.groups]) {
            if (await enforcer.enforce(who, resource, action, object)) return true;
        }
        return false;
    }
}
