// fast-check generators of valid tenant entries (raw, as a stack file holds them), shared by the
// property specs. `adversarialTenantSets` mixes random tenants with pairs built to collide under
// careless naming: `team`/`a-web` and `team-a`/`web`, `x` and `policies-x` (the add-on
// Applications), `x` with app `app-y` and `x-app` with app `y` (Pulumi names), and owner groups
// that are prefixes of each other or look like globs.
import fc from "fast-check";
import { RESERVED_TENANT_NAMES } from "../stacks/schema";

export const SHARED_REPOS = [
    { url: "https://github.com/acme/apps.git", type: "git" },
    { url: "https://github.com/acme/shared.git", type: "git" },
    { url: "git@github.com:acme/private.git", type: "git" },
    { url: "oci://ghcr.io/acme/charts", type: "oci" },
    { url: "https://charts.example.com/acme", type: "helm" },
] as const;

// DNS-1123 labels starting with a letter, built from characters (stringMatching is far slower).
const LETTERS = [..."abcdefghijklmnopqrstuvwxyz"];
const ALPHANUMERIC = [...LETTERS, ..."0123456789"];
export const label = (max: number) => fc.oneof(
    fc.constantFrom(...LETTERS),
    fc.tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...ALPHANUMERIC, "-"), { maxLength: max - 2 }), fc.constantFrom(...ALPHANUMERIC))
        .map(([first, middle, last]) => `${first}${middle.join("")}${last}`),
);
const reserved = (name: string) => (RESERVED_TENANT_NAMES as readonly string[]).includes(name);
export const tenantName = label(53).filter((n) => !reserved(n));

/** Owner groups of one tenant: unique to it (a group owns one tenant), but close to other tenants' names and groups. */
const ownerGroups = (name: string) => fc.uniqueArray(fc.oneof(
    label(12).map((g) => `${name}.${g}`),
    fc.constantFrom(`${name}-admins`, `${name}*`, `${name}-*`, `${name}/devs`, `${name}:ops`, `CN=${name} Admins`),
), { minLength: 1, maxLength: 3 });

export interface AppSeed { name: string; repo: number; namespace: string }

export function tenantEntry(name: string, forcedApps: string[] = []) {
    const ownRepo = { url: `https://github.com/acme/${name}.git`, type: "git" as const };
    return fc.record({
        state: fc.constantFrom("active", "active", "active", "decommissioned"),
        ownerGroups: ownerGroups(name),
        shared: fc.subarray([...SHARED_REPOS]),
        credentials: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        apps: fc.uniqueArray(fc.record({ name: label(8), repo: fc.nat(), namespace: label(12) }), { maxLength: 4, selector: (a) => a.name }),
        addons: fc.record({ kyverno: fc.boolean(), "kyverno-policies": fc.boolean() }),
        window: fc.boolean(),
    }).map(({ state, ownerGroups: groups, shared, credentials, apps, addons, window }) => {
        const repos = [ownRepo, ...shared].map((repo, i) => ({
            ...repo,
            ...(credentials[i] ? { credentialsVaultKey: `repos/${repo.url.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}` } : {}),
        }));
        const seeds: AppSeed[] = [
            ...forcedApps.map((app, i) => ({ name: app, repo: 0, namespace: `ns${i}` })),
            ...apps.filter((a) => !forcedApps.includes(a.name)),
        ].filter((a) => `${name}.${a.name}`.length <= 63);
        return {
            name,
            state: forcedApps.length > 0 ? "active" : state,
            ownerGroups: groups,
            repos,
            applications: seeds.map((app) => {
                const repo = repos[app.repo % repos.length];
                return {
                    name: app.name,
                    repoURL: repo.url,
                    ...(repo.type === "git" ? { path: `apps/${app.name}` } : { chart: app.name }),
                    targetRevision: "main",
                    namespace: app.namespace,
                };
            }),
            addons: forcedApps.length > 0 ? { kyverno: true, "kyverno-policies": true } : addons,
            syncWindows: window ? [{ kind: "deny", schedule: "0 22 * * *", duration: "1h", applications: ["*"] }] : [],
        };
    });
}

export type TenantEntry = ReturnType<typeof tenantEntry> extends fc.Arbitrary<infer T> ? T : never;

// `size: "max"` spreads the number of tenants over the whole 1..maxLength range; the default
// size keeps most sets small (the program runs take about 0.2 s per tenant).
export const tenantSets = (maxLength: number, size: fc.SizeForArbitrary = "max") => fc.uniqueArray(tenantName, { minLength: 1, maxLength, size })
    .chain((names) => fc.tuple(...names.map((n) => tenantEntry(n))));

const short = label(10);

/** Name/app pairs that collide when joined with "-": each seed gives two tenants and the apps they must have. */
const collidingPair = fc.oneof(
    // `team` + `a-web` and `team-a` + `web`
    fc.tuple(short, short, short).map(([p, q, r]) => [[p, [`${q}-${r}`]], [`${p}-${q}`, [r]]] as [string, string[]][]),
    // `x` and `policies-x`: kyverno-policies-x under "<addon>-<tenant>"
    short.map((p) => [[p, []], [`policies-${p}`, []]] as [string, string[]][]),
    // `x` + `app-y` and `x-app` + `y`: one Pulumi name under "<t>-app-<app>"; `x-app` + `namespace` too
    fc.tuple(short, short).map(([p, q]) => [[p, [`app-${q}`, "namespace"]], [`${p}-app`, [q]]] as [string, string[]][]),
);

/** 1–maxTenants tenants: adversarial pairs plus random tenants, names unique, each entry valid. */
export const adversarialTenantSets = (maxTenants: number, size: fc.SizeForArbitrary = "max") =>
    fc.tuple(fc.array(collidingPair, { minLength: 1, maxLength: Math.max(1, Math.floor(maxTenants / 4)), size }), fc.uniqueArray(tenantName, { maxLength: maxTenants, size }))
        .map(([pairs, randomNames]) => {
            const wanted = new Map<string, string[]>();
            for (const [name, apps] of [...pairs.flat(), ...randomNames.map((n) => [n, []] as [string, string[]])]) {
                if (name.length > 53 || reserved(name) || wanted.has(name)) continue;
                wanted.set(name, apps);
            }
            return [...wanted].slice(0, maxTenants);
        })
        .chain((entries) => fc.tuple(...entries.map(([name, apps]) => tenantEntry(name, apps))));
