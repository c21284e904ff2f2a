// A campaign of hostile or careless stack configs (issue 12, "Bad input"): each is refused by the
// loader with its path, its value (credentials masked) and the fix, or, where it is valid after
// all, accepted; through `npm run plan` each bad one exits 2 before anything is registered.
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { readStackFile } from "../scripts/stack-file";
import { ConfigError, parseStackConfig } from "../stacks/loader";
import { buildStackFileSchema } from "../stacks/json-schema";
import { ROOT, runCli, withTempRoot } from "./plan-helpers";

const dev = readStackFile("dev").config.platform as Record<string, any>;
const prod = readStackFile("prod").config.platform as Record<string, any>;
const REPO = "https://github.com/acme/a.git";

const tenant = (extra: Record<string, unknown> = {}) => ({
    name: "team-a",
    ownerGroups: ["team-a-admins"],
    repos: [{ url: REPO, type: "git" }],
    ...extra,
});

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parseStackConfig({ values, secretsSet: new Set() });
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("expected a ConfigError");
}

const FORMAT = `Argo CD reads five fields: minute (0-59), hour (0-23), day-of-month (1-31), month (1-12 or JAN-DEC) and day-of-week (0-6 or SUN-SAT), e.g. "0 22 * * *", or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly`;
const IN_VAULT = `remove them from the URL and keep them in the tenant's Vault space under repos/, named by the repo's credentialsVaultKey, e.g. "repos/team-a-apps"`;

describe("bad input (the loader)", () => {
    describe("repository URLs with credentials (item 7)", () => {
        it("fails when a repo URL carries a user and password, without echoing them", () => {
            const problems = problemsOf({ platform: dev, tenants: [tenant({ repos: [{ url: "https://user:s3cret@github.com/acme/a.git", type: "git" }] })] });
            expect(problems).to.deep.equal([
                `tenants[0].repos[0].url "https://****@github.com/acme/a.git" has credentials in it, which would then sit in Pulumi's state and in Argo CD's objects; ${IN_VAULT}`,
            ]);
            expect(problems.join("\n")).not.to.contain("s3cret");
            expect(problems.join("\n")).not.to.contain("user");
        });

        it("fails when a repo URL carries a token as its user", () => {
            expect(problemsOf({ platform: dev, tenants: [tenant({ repos: [{ url: "oci://ghp_abc123@ghcr.io/acme/charts", type: "oci" }] })] })).to.deep.equal([
                `tenants[0].repos[0].url "oci://****@ghcr.io/acme/charts" has credentials in it, which would then sit in Pulumi's state and in Argo CD's objects; ${IN_VAULT}`,
            ]);
        });

        it("fails when an application's repoURL carries credentials, and the root app's too", () => {
            const problems = problemsOf({
                platform: { ...dev, argocd: { ...dev.argocd, rootApp: { ...dev.argocd.rootApp, repoURL: "https://bot:pw@github.com/acme/platform.git" } } },
                tenants: [tenant({ applications: [{ name: "web", repoURL: "https://u:pw@github.com/acme/a.git", path: "web", targetRevision: "main", namespace: "web" }] })],
            });
            expect(problems).to.deep.equal([
                `platform.argocd.rootApp.repoURL "https://****@github.com/acme/platform.git" has credentials in it, which would then sit in Pulumi's state and in Argo CD's objects; remove them from the URL and give Argo CD the repository's credentials through a repository secret outside Pulumi`,
                `tenants[0].applications[0].repoURL "https://****@github.com/acme/a.git" has credentials in it, which would then sit in Pulumi's state and in Argo CD's objects; ${IN_VAULT}`,
            ]);
            expect(problems.join("\n")).not.to.contain("pw@");
        });

        it("accepts an ssh URL's user without a password (ssh://git@host/…)", () => {
            const { tenants } = parseStackConfig({ values: { platform: dev, tenants: [tenant({ repos: [{ url: "ssh://git@github.com/acme/a.git", type: "git" }] })] }, secretsSet: new Set() });
            expect(tenants[0].repos[0].url).to.equal("ssh://git@github.com/acme/a.git");
        });
    });

    describe("image registries that mean any registry (item 8)", () => {
        const registries = (allowedRegistries: string[]) => ({ ...prod, compliance: { allowedRegistries } });
        const FIX = `in prod list each trusted registry as a host and path ending in "/", e.g. "ghcr.io/acme/"`;

        it("fails in prod on \"*\", a wildcard, a blank prefix and a host without \"/\"", () => {
            expect(problemsOf({ platform: registries(["*", " ", "docker.io/*", "ghcr.io", "ghcr.io/acme/"]) })).to.deep.equal([
                `platform.compliance.allowedRegistries[0] "*" allows images from any registry; ${FIX}`,
                `platform.compliance.allowedRegistries[1] " " allows images from any registry; ${FIX}`,
                `platform.compliance.allowedRegistries[2] "docker.io/*" has a wildcard or a space in it, which lets other registries through; ${FIX}`,
                `platform.compliance.allowedRegistries[3] "ghcr.io" does not end in "/" after a registry host, so it also matches other hosts ("ghcr.io" matches "ghcr.io.example.net/…"); ${FIX}`,
            ]);
        });

        it("fails on an empty prefix in any environment", () => {
            expect(problemsOf({ platform: { ...dev, compliance: { allowedRegistries: [""] } } })).to.deep.equal([
                `platform.compliance.allowedRegistries[0] "" must be at least 1 characters`,
            ]);
        });

        it("accepts \"*\" in dev, which is forgiving", () => {
            expect(parseStackConfig({ values: { platform: { ...dev, compliance: { allowedRegistries: ["*"] } } }, secretsSet: new Set() }).platform.compliance.allowedRegistries).to.deep.equal(["*"]);
        });
    });

    describe("sync-window schedules, parsed as Argo CD parses them (item 9)", () => {
        const windowed = (schedule: string) => ({ platform: dev, tenants: [tenant({ syncWindows: [{ kind: "deny", schedule, duration: "1h", applications: ["*"] }] })] });
        const cases: [string, string, string][] = [
            ["fails when the minute and hour are out of range, naming both fields", "61 25 * * *",
                `has an invalid minute field "61" (got value 61 expected range 0-59) and an invalid hour field "25" (got value 25 expected range 0-23)`],
            ["fails when the day of week is 7 (Argo CD's parser counts 0-6)", "0 22 * * 7",
                `has an invalid day-of-week field "7" (got value 7; the day-of-week is 0-6)`],
            ["fails on a seconds field", "0 0 22 * * *", `has 6 fields`],
            ["fails on L, which Argo CD's parser does not know", "0 0 L * *", `has an invalid day-of-month field "L" ("L": this field takes numbers only)`],
            ["fails on an inverted range", "5-1 * * * *", `has an invalid minute field "5-1" (Invalid range: 5-1, min(5) > max(1); the minute is 0-59)`],
            ["fails on an unknown descriptor", "@often", `is not a schedule descriptor Argo CD knows`],
        ];
        for (const [title, schedule, problem] of cases) {
            it(title, () => {
                expect(problemsOf(windowed(schedule))).to.deep.equal([`tenants[0].syncWindows[0].schedule ${JSON.stringify(schedule)} ${problem}; ${FORMAT}`]);
            });
        }

        it("accepts names, steps, lists and descriptors", () => {
            for (const schedule of ["0 22 * * MON-FRI", "*/15 8-18 * JAN,JUL 1-5", "@daily", "@every 1h30m", "0 18 * * 5"]) {
                const { tenants } = parseStackConfig({ values: windowed(schedule), secretsSet: new Set() });
                expect(tenants[0].syncWindows[0].schedule).to.equal(schedule);
            }
        });
    });

    describe("no tenants, and quantities as numbers (items 10, 11)", () => {
        it("reads `gitops-hub:tenants:` with no value (YAML null) as no tenants", () => {
            expect(parseStackConfig({ values: { platform: dev, tenants: null }, secretsSet: new Set() }).tenants).to.deep.equal([]);
        });

        it("accepts quota quantities as YAML numbers, as Kubernetes does, and keeps them as quantities", () => {
            const { tenants } = parseStackConfig({ values: { platform: dev, tenants: [tenant({ vcluster: { quota: { cpu: 4, memory: "8Gi", pods: 10, storageGiB: 10 } } })] }, secretsSet: new Set() });
            expect(tenants[0].vcluster.quota).to.deep.equal({ cpu: "4", memory: "8Gi", pods: 10, storageGiB: 10 });
            const half = parseStackConfig({ values: { platform: dev, tenants: [tenant({ vcluster: { quota: { cpu: 0.5, memory: "1Gi", pods: 1, storageGiB: 1 } } })] }, secretsSet: new Set() });
            expect(half.tenants[0].vcluster.quota.cpu).to.equal("0.5");
        });

        it("fails on a quantity that is neither a number nor a string, and on a negative one", () => {
            expect(problemsOf({ platform: dev, tenants: [tenant({ vcluster: { quota: { cpu: -4, memory: true, pods: 10, storageGiB: 10 } } })] })).to.deep.equal([
                `tenants[0].vcluster.quota.cpu "-4" must be a Kubernetes quantity, e.g. "4"`,
                `tenants[0].vcluster.quota.memory true must be a Kubernetes quantity (a number or a string), e.g. "8Gi"`,
            ]);
        });
    });

    describe("every problem of a tenant at once (item 12)", () => {
        it("fails with both the bad quota and the application whose repo is not the tenant's", () => {
            expect(problemsOf({
                platform: dev,
                tenants: [tenant({
                    vcluster: { quota: { cpu: "four", memory: "8Gi", pods: 10, storageGiB: 10 } },
                    applications: [{ name: "web", repoURL: "https://github.com/acme/b.git", path: "web", targetRevision: "main", namespace: "web" }],
                })],
            })).to.deep.equal([
                `tenants[0].vcluster.quota.cpu "four" must be a Kubernetes quantity, e.g. "4"`,
                `tenants[0].applications[0].repoURL "https://github.com/acme/b.git" is not one of tenants[0].repos (did you mean "${REPO}"?); add it to tenants[0].repos first`,
            ]);
        });

        it("fails with a bad platform field and the platform checks of the fields that are valid", () => {
            expect(problemsOf({ platform: { ...prod, domain: "Bad_Domain", vault: { mode: "dev" } } })).to.deep.equal([
                `platform.domain "Bad_Domain" must be a DNS name (lowercase, dot-separated labels), e.g. "dev.gitops.example.com"`,
                `platform.vault.mode "dev" is only allowed in the dev environment (a dev server keeps every secret in memory and is unsealed with a known token); use "ha" or "external"`,
            ]);
        });
    });

    describe("tenant host names (item 4)", () => {
        it("fails when an exposed tenant's host name is the platform's Argo CD host name", () => {
            expect(problemsOf({
                platform: { ...dev, argocd: { ...dev.argocd, hostname: "ui.dev.gitops.example.com" }, exposure: { mode: "ingress" } },
                tenants: [tenant({ name: "ui", exposure: { enabled: true } })],
            })).to.deep.equal([
                `tenants[0].name "ui" with exposure.enabled true would serve the vCluster API at "ui.dev.gitops.example.com", which is platform.argocd.hostname; rename the tenant or turn its exposure off`,
            ]);
        });

        it("fails when an exposed tenant's host name is the host of the Vault address", () => {
            expect(problemsOf({
                platform: { ...dev, vault: { mode: "dev", address: "https://secrets.dev.gitops.example.com:8200" }, exposure: { mode: "ingress" } },
                tenants: [tenant({ name: "secrets", exposure: { enabled: true } })],
            })).to.deep.equal([
                `tenants[0].name "secrets" with exposure.enabled true would serve the vCluster API at "secrets.dev.gitops.example.com", which is the host of platform.vault.address; rename the tenant or turn its exposure off`,
            ]);
        });
    });

    describe("SSO groups as Argo CD's RBAC reads them", () => {
        it("fails on a group that would split a policy.csv line, or that names an Argo CD role", () => {
            expect(problemsOf({
                platform: { ...dev, argocd: { ...dev.argocd, adminGroups: ["a,b"], readOnlyGroups: ["role:admin"] } },
                tenants: [tenant({ ownerGroups: ["proj:team-b:owners", " team-a"] })],
            })).to.deep.equal([
                `platform.argocd.adminGroups[0] "a,b" must not contain commas, quotes, control characters or leading/trailing spaces (Argo CD reads it as one field of a policy.csv line), e.g. "team-a-admins"`,
                `platform.argocd.readOnlyGroups[0] "role:admin" must not start with "role:" or "proj:", the names of Argo CD's own roles, e.g. "team-a-admins"`,
                `tenants[0].ownerGroups[0] "proj:team-b:owners" must not start with "role:" or "proj:", the names of Argo CD's own roles, e.g. "team-a-admins"`,
                `tenants[0].ownerGroups[1] " team-a" must not contain commas, quotes, control characters or leading/trailing spaces (Argo CD reads it as one field of a policy.csv line), e.g. "team-a-admins"`,
            ]);
        });

        it("fails when two tenants name the same owner group", () => {
            expect(problemsOf({ platform: dev, tenants: [tenant(), tenant({ name: "team-b", ownerGroups: ["team-b-admins", "team-a-admins"] })] })).to.deep.equal([
                `tenants[1].ownerGroups[1] "team-a-admins" already owns tenants[0] ("team-a"); a group owns one tenant, and its members see no other tenant's applications, so give this tenant its own group`,
            ]);
        });
    });

    describe("the editor schema (item 14)", () => {
        const ajv = new Ajv2020({ strict: false, allErrors: true });
        const validate = ajv.compile(buildStackFileSchema());
        const file = (config: Record<string, unknown>) => ({ config: { "gitops-hub:platform": dev, ...config } });

        it("fails on a misspelt key of this project", () => {
            for (const key of ["gitops-hub:tenant", "gitops-hub:platfrom", "tenants"]) {
                expect(validate(file({ [key]: [] })), key).to.equal(false);
                expect(validate.errors?.map((e) => e.keyword), key).to.include("propertyNames");
            }
        });

        it("accepts this project's keys and other namespaces' keys (kubernetes:context)", () => {
            const ok = validate(file({ "gitops-hub:tenants": [], "gitops-hub:vaultToken": { secure: "v1:abc" }, "kubernetes:context": "kind-hub", "vault:skipTlsVerify": "true" }));
            expect(validate.errors ?? []).to.deep.equal([]);
            expect(ok).to.equal(true);
            expect(validate(parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"))), JSON.stringify(validate.errors)).to.equal(true);
            expect(validate(parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"))), JSON.stringify(validate.errors)).to.equal(true);
        });
    });
});

describe("bad input (npm run plan)", function () {
    this.timeout(120_000);
    let root: string;
    withTempRoot((dir) => { root = dir; });
    const devFile = () => parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
    const write = (stack: string, text: string) => fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), text);

    it("plans `gitops-hub:tenants:` with no value as a platform without tenants (exit 0, not 3)", () => {
        const source = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
        write("empty", `${source.slice(0, source.indexOf("  gitops-hub:tenants:"))}  gitops-hub:tenants:\n`);
        const run = runCli("plan/main.ts", ["--stack", "empty", "--root", root, "--format", "json"]);
        expect(run.stderr).to.equal("");
        expect(run.status).to.equal(0);
        const counts = JSON.parse(run.stdout).counts as { type: string; count: number }[];
        expect(counts.find((c) => c.type === "gitops-hub:hub:ArgoCd")?.count).to.equal(1);
        expect(counts.filter((c) => c.type === "gitops-hub:tenant:Tenant")).to.deep.equal([]);
    });

    it("fails with exit 2 when the file has no config mapping, naming the key it found (item 13)", () => {
        write("confg", fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("\nconfig:\n", "\nconfg:\n"));
        const run = runCli("plan/main.ts", ["--stack", "confg", "--root", root]);
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.equal(`error: ${path.join(root, "Pulumi.confg.yaml")} has no "config" mapping; its top-level keys are "confg"; "confg" looks like a misspelt "config"; put the settings under "config:"\n`);
    });

    it("fails with exit 2 on a YAML syntax error, naming the file (item 15)", () => {
        write("broken-yaml", "config:\n  gitops-hub:platform:\n    environment: [dev\n");
        const run = runCli("plan/main.ts", ["--stack", "broken-yaml", "--root", root]);
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr.split("\n")[0]).to.match(new RegExp(`^error: ${path.join(root, "Pulumi.broken-yaml.yaml").replace(/[.]/g, "\\.")} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \\] at line \\d+, column \\d+$`));
    });

    it("fails with exit 2, printing only the problems, on a bad schedule, a boolean quantity and a wildcard registry in prod", () => {
        const broken = (stack: string, edit: (doc: any) => void) => {
            const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack === "registry" ? "prod" : "dev"}.yaml`), "utf8"));
            edit(doc.config);
            write(stack, stringify(doc));
            return runCli("plan/main.ts", ["--stack", stack, "--root", root]);
        };
        const cases: [string, (config: any) => void, string][] = [
            ["schedule", (c) => { c["gitops-hub:tenants"][0].syncWindows = [{ kind: "deny", schedule: "0 0 * * 7", duration: "1h", applications: ["*"] }]; },
                `  - tenants[0].syncWindows[0].schedule "0 0 * * 7" has an invalid day-of-week field "7" (got value 7; the day-of-week is 0-6); ${FORMAT}\n`],
            ["quantity", (c) => { c["gitops-hub:tenants"][0].vcluster = { quota: { cpu: true } }; },
                `  - tenants[0].vcluster.quota.cpu true must be a Kubernetes quantity (a number or a string), e.g. "4"\n`],
            ["registry", (c) => { c["gitops-hub:platform"].compliance.allowedRegistries = ["*"]; },
                `  - platform.compliance.allowedRegistries[0] "*" allows images from any registry; in prod list each trusted registry as a host and path ending in "/", e.g. "ghcr.io/acme/"\n`],
        ];
        for (const [stack, edit, problem] of cases) {
            const run = broken(stack, edit);
            expect(run.status, stack).to.equal(2);
            expect(run.stdout, stack).to.equal("");
            expect(run.stderr, stack).to.equal(`error: Pulumi.${stack}.yaml: The stack's config has 1 problem; nothing was deployed:\n${problem}`);
        }
    });

    it("fails with exit 2 on credentials in a repo URL, masked, and registers nothing", () => {
        const doc = devFile();
        doc.config["gitops-hub:tenants"][0].repos[0].url = "https://deploy:hunter2@github.com/acme/team-a-apps.git";
        write("creds", stringify(doc));
        const run = runCli("plan/main.ts", ["--stack", "creds", "--root", root]);
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.contain(`  - tenants[0].repos[0].url "https://****@github.com/acme/team-a-apps.git" has credentials in it`);
        expect(run.stderr).not.to.contain("hunter2");
    });
});
