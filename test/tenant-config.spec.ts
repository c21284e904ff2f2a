// Bad tenant entries: the loader names each problem exactly, and the program registers nothing.
import { expect } from "chai";
import { readStackFile } from "../scripts/stack-file";
import { ConfigError, parseStackConfig } from "../stacks/loader";
import { runTenants } from "./tenant-fixtures";

const platform = readStackFile("dev").config.platform;
const REPO = "https://github.com/acme/a.git";
const CHARTS = "https://charts.example.com/acme";

// Each tenant's owner group after its name: a group owns one tenant.
const tenant = (extra: Record<string, unknown> = {}) => ({
    name: "team-a",
    ownerGroups: [`${(extra.name as string | undefined) ?? "team-a"}-admins`],
    repos: [{ url: REPO, type: "git" }],
    applications: [{ name: "web", repoURL: REPO, path: "apps/web", targetRevision: "main", namespace: "web" }],
    ...extra,
});

function problemsOf(tenants: unknown[]): string[] {
    try {
        parseStackConfig({ values: { platform, tenants }, secretsSet: new Set() });
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("expected a ConfigError");
}

describe("Tenant config (bad entries through the loader)", () => {
    const cases: [string, unknown[], string[]][] = [
        ["fails when the name is reserved", [tenant({ name: "argocd" })],
            [`tenants[0].name "argocd" is reserved by the platform; choose another name, e.g. "argocd-team"`]],
        ["fails when two tenants share a name", [tenant(), tenant({ ownerGroups: ["other"] })],
            [`tenants[1].name "team-a" is already used by tenants[0]; tenant names must be unique`]],
        ["fails when the name has uppercase letters", [tenant({ name: "TeamA" })],
            [`tenants[0].name "TeamA" must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "team-a"`]],
        ["fails when the name is too long for vcluster-<name>", [tenant({ name: "a".repeat(55) })],
            [`tenants[0].name "${"a".repeat(55)}" must be at most 54 characters`]],
        ["fails when the name is too long for the vCluster's Helm release", [tenant({ name: "a".repeat(54) })],
            [`tenants[0].name "${"a".repeat(54)}" is 54 characters; the tenant's vCluster is a Helm release named after it and Helm allows at most 53; shorten it`]],
        ["fails when an application's repo is not one of the tenant's repos", [tenant({
            applications: [{ name: "web", repoURL: "https://github.com/acme/b.git", path: "apps/web", targetRevision: "main", namespace: "web" }],
        })], [`tenants[0].applications[0].repoURL "https://github.com/acme/b.git" is not one of tenants[0].repos (did you mean "${REPO}"?); add it to tenants[0].repos first`]],
        ["fails when an application sets both path and chart", [tenant({
            repos: [{ url: CHARTS, type: "helm" }],
            applications: [{ name: "web", repoURL: CHARTS, path: "apps/web", chart: "web", targetRevision: "1.0.0", namespace: "web" }],
        })], [
            `tenants[0].applications[0] must set exactly one of "path" (a directory in a git repo) and "chart" (a Helm chart)`,
            `tenants[0].applications[0].path "apps/web" needs a git repo, but "${CHARTS}" is of type "helm"; use "chart"`,
        ]],
        ["fails on an unknown key of the vcluster settings, with a suggestion", [tenant({ vcluster: { kubernetesVersoin: "1.33" } })],
            [`tenants[0].vcluster.kubernetesVersoin is not a known setting (did you mean "kubernetesVersion"?); allowed here: kubernetesVersion, quota, podSecurityStandard`]],
        ["fails on an unknown key of an application, with a suggestion", [tenant({
            applications: [{ name: "web", repoURL: REPO, path: "apps/web", targetRevision: "main", namespace: "web", syncOption: [] }],
        })], [`tenants[0].applications[0].syncOption is not a known setting (did you mean "syncOptions"?); allowed here: name, repoURL, path, chart, targetRevision, namespace, syncOptions, allowMovingRevision`]],
        ["fails when repository credentials are outside the tenant's repos/ keys", [tenant({
            repos: [{ url: REPO, type: "git", credentialsVaultKey: "db/password" }],
        })], [`tenants[0].repos[0].credentialsVaultKey "db/password" must be under "repos/" in the tenant's Vault space (Argo CD may read nothing else of it), e.g. "repos/db/password"`]],
        ["fails when the vCluster's Kubernetes version is not offered by the pinned chart", [tenant({ vcluster: { kubernetesVersion: "1.29" } })],
            [`tenants[0].vcluster.kubernetesVersion "1.29" is not offered by the pinned vCluster chart; use one of "1.32", "1.33"`]],
        ["fails when a sync window names an application the tenant does not have", [tenant({
            syncWindows: [{ kind: "deny", schedule: "0 22 * * *", duration: "1h", applications: ["webb"] }],
        })], [`tenants[0].syncWindows[0].applications[0] "webb" is not the name of one of tenants[0].applications (did you mean "web"?); name an application or use a glob such as "*"`]],
        ["fails when an application's sync options set one setting twice", [tenant({
            applications: [{ name: "web", repoURL: REPO, path: "apps/web", targetRevision: "main", namespace: "web", syncOptions: ["CreateNamespace=false", "PruneLast=true", "CreateNamespace=true"] }],
        })], [`tenants[0].applications[0].syncOptions[2] "CreateNamespace=true" sets CreateNamespace again after "CreateNamespace=false" at syncOptions[0]; keep one`]],
    ];

    for (const [title, tenants, expected] of cases) {
        it(title, () => {
            expect(problemsOf(tenants)).to.deep.equal(expected);
        });
    }

    it("fails with every problem of every tenant at once", () => {
        expect(problemsOf([
            tenant({ name: "kube-system" }),
            tenant({ name: "team-b", repos: [{ url: REPO, type: "git", credentialsVaultKey: "repos/" }] }),
            tenant({ name: "team-b" }),
        ])).to.deep.equal([
            `tenants[1].repos[0].credentialsVaultKey "repos/" must be under "repos/" in the tenant's Vault space (Argo CD may read nothing else of it), e.g. "repos/team-a-apps"`,
            `tenants[0].name "kube-system" is reserved by the platform; choose another name, e.g. "kube-system-team"`,
            `tenants[2].name "team-b" is already used by tenants[1]; tenant names must be unique`,
        ]);
    });

    it("accepts globs in sync windows and credentials under repos/", () => {
        const { tenants } = parseStackConfig({
            values: {
                platform,
                tenants: [tenant({
                    repos: [{ url: REPO, type: "git", credentialsVaultKey: "repos/a" }],
                    syncWindows: [{ kind: "allow", schedule: "0 8 * * 1", duration: "10h", applications: ["*", "web"] }],
                })],
            },
            secretsSet: new Set(),
        });
        expect(tenants[0].repos[0].credentialsVaultKey).to.equal("repos/a");
        expect(tenants[0].syncWindows[0].applications).to.deep.equal(["*", "web"]);
    });

    describe("through the program", function () {
        this.timeout(60_000);
        // Counts every registration the engine receives, below the recorder's own hook.
        const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): any };
        const original = settings.getMonitor;
        let registrations = 0;
        before(() => {
            settings.getMonitor = () => {
                const monitor = original();
                if (monitor && !monitor.__tenantSpecCounted) {
                    const register = monitor.registerResource.bind(monitor);
                    monitor.registerResource = (req: unknown, callback: unknown) => {
                        registrations++;
                        return register(req, callback);
                    };
                    monitor.__tenantSpecCounted = true;
                }
                return monitor;
            };
        });
        after(() => {
            settings.getMonitor = original;
        });

        it("fails with ConfigError before registering anything when a tenant is bad", async () => {
            registrations = 0;
            let caught: unknown;
            try {
                await runTenants("dev", [tenant({ name: "argocd" }), tenant({ name: "Team_B" })]);
            } catch (error) {
                caught = error;
            }
            // The program's modules are loaded afresh, so the class is compared by name.
            expect((caught as Error)?.name).to.equal("ConfigError");
            expect((caught as ConfigError).problems).to.deep.equal([
                `tenants[1].name "Team_B" must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "team-a"`,
                `tenants[0].name "argocd" is reserved by the platform; choose another name, e.g. "argocd-team"`,
            ]);
            expect(registrations).to.equal(0);
        });

        it("registers resources when the same stack's tenants are good (the counter sees them)", async () => {
            registrations = 0;
            const result = await runTenants("dev", [tenant()]);
            expect(registrations).to.equal(result.resources.length);
            expect(registrations).to.be.greaterThan(0);
        });
    });
});
