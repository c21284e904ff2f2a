// The pure parts of `npm run bench`: the tenant generator and the critical-path computation.
// Timings are never asserted here; the bench prints them.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CriticalPath, GraphNode, criticalPath } from "../scripts/bench/critical-path";
import { generateStackConfig, generateTenants, tenantName } from "../scripts/bench/generate";
import { summarizeProfile } from "../scripts/bench/profile";
import { readStackFile } from "../scripts/stack-file";
import { parseStackConfig } from "../stacks/loader";
import { RSS_LIMIT_BYTES, SizeResult, exitCode, judge } from "../scripts/bench/targets";

function parse(config: Record<string, unknown>) {
    return parseStackConfig({ values: config, secretsSet: new Set() });
}

describe("bench", () => {
    describe("generateStackConfig", () => {
        const dev = readStackFile("dev").config;

        for (const count of [1, 10, 1000]) {
            it(`produces ${count} tenant(s) that pass the loader with the dev platform`, () => {
                const config = generateStackConfig(dev, count);
                const { platform, tenants } = parse(config);
                expect(platform).to.deep.equal(parse(dev).platform);
                expect(tenants).to.have.length(count);
                expect(new Set(tenants.map((t) => t.name)).size).to.equal(count);
                expect(tenants[count - 1].name).to.equal(tenantName(count - 1, count));
            });
        }

        it("produces a realistic entry: two repos (one with Vault credentials), two applications, a quota, add-ons on", () => {
            const [tenant] = parse(generateStackConfig(dev, 1)).tenants;
            // Field by field: defaults the loader adds for fields the generator leaves out are not its business.
            expect(tenant.name).to.equal("team-0001");
            expect(tenant.state).to.equal("active");
            expect(tenant.ownerGroups).to.deep.equal(["team-0001-admins"]);
            expect(tenant.repos).to.deep.equal([
                { url: "https://github.com/acme/team-0001-apps.git", type: "git" },
                { url: "oci://ghcr.io/acme/team-0001/charts", type: "oci", credentialsVaultKey: "repos/team-0001-ghcr" },
            ]);
            expect(tenant.applications.map(({ syncOptions: _default, ...app }) => app)).to.deep.equal([
                { name: "webapp", repoURL: "https://github.com/acme/team-0001-apps.git", path: "apps/webapp", targetRevision: "main", namespace: "webapp" },
                { name: "api", repoURL: "oci://ghcr.io/acme/team-0001/charts", chart: "api", targetRevision: "1.4.2", namespace: "api" },
            ]);
            expect(tenant.vcluster).to.deep.equal({ kubernetesVersion: "1.33", quota: { cpu: "2", memory: "4Gi", pods: 20, storageGiB: 10 }, podSecurityStandard: "baseline" });
            expect(tenant.addons).to.deep.equal({ kyverno: true, "kyverno-policies": true });
        });

        it("is deterministic and keeps the stack's other keys", () => {
            const base = { platform: { environment: "dev" }, other: "kept", tenants: [{ name: "replaced" }] };
            expect(generateStackConfig(base, 3)).to.deep.equal(generateStackConfig(base, 3));
            expect(generateStackConfig(base, 3).other).to.equal("kept");
            expect((generateStackConfig(base, 3).tenants as { name: string }[]).map((t) => t.name)).to.deep.equal(["team-0001", "team-0002", "team-0003"]);
        });

        it("cycles quotas through three team sizes", () => {
            const quotas = generateTenants(4).map((t) => (t.vcluster as { quota: { cpu: string } }).quota.cpu);
            expect(quotas).to.deep.equal(["2", "4", "8", "2"]);
        });

        it("widens names beyond 9,999 tenants", () => {
            expect(tenantName(0, 10_000)).to.equal("team-00001");
            expect(tenantName(41, 1000)).to.equal("team-0042");
        });

        it("fails when the count is not a whole number of at least 0", () => {
            expect(() => generateTenants(-1)).to.throw("tenant count -1 must be a whole number of at least 0, e.g. 1000");
            expect(() => generateTenants(1.5)).to.throw("tenant count 1.5 must be a whole number of at least 0, e.g. 1000");
        });
    });

    describe("criticalPath", () => {
        const custom = (urn: string, dependencies: string[] = [], parent?: string): GraphNode => ({ urn, custom: true, dependencies, parent });
        const component = (urn: string, dependencies: string[] = [], parent?: string): GraphNode => ({ urn, custom: false, dependencies, parent });
        const depthOf = (nodes: GraphNode[], parentLinks = false): CriticalPath => criticalPath(nodes, { parentLinks });

        /** A hub of two resources and `tenants` tenants of three resources each, waiting for the hub only. */
        function hubAndTenants(tenants: number, crossTenant = false): GraphNode[] {
            const nodes = [custom("hub-a"), custom("hub-b", ["hub-a"])];
            for (let i = 0; i < tenants; i++) {
                const first = crossTenant && i > 0 ? [`t${i - 1}-c`] : ["hub-b"];
                nodes.push(component(`t${i}`), custom(`t${i}-a`, first, `t${i}`), custom(`t${i}-b`, [`t${i}-a`], `t${i}`), custom(`t${i}-c`, [`t${i}-b`], `t${i}`));
            }
            return nodes;
        }

        it("is 0 for an empty graph", () => {
            expect(depthOf([])).to.deep.equal({ depth: 0, chain: [], unknown: [] });
        });

        it("is 1 for resources that wait for nothing", () => {
            expect(depthOf([custom("a"), custom("b"), custom("c")]).depth).to.equal(1);
        });

        it("follows a chain to its start", () => {
            expect(depthOf([custom("c", ["b"]), custom("b", ["a"]), custom("a")])).to.deep.equal({ depth: 3, chain: ["a", "b", "c"], unknown: [] });
        });

        it("takes the longer branch of a diamond", () => {
            const nodes = [custom("a"), custom("b", ["a"]), custom("x", ["a"]), custom("y", ["x"]), custom("d", ["b", "y"])];
            expect(depthOf(nodes)).to.deep.equal({ depth: 4, chain: ["a", "x", "y", "d"], unknown: [] });
        });

        it("stays the same however many tenants wait only for the hub", () => {
            expect(depthOf(hubAndTenants(1)).depth).to.equal(5);
            expect(depthOf(hubAndTenants(1000)).depth).to.equal(5);
            expect(depthOf(hubAndTenants(1000), true).depth).to.equal(5);
        });

        it("grows when tenants wait for each other", () => {
            expect(depthOf(hubAndTenants(10, true)).depth).to.equal(32);
        });

        it("counts components as nothing but lets waiting pass through them with parent links", () => {
            const nodes = [custom("vault"), component("tenant", ["vault"]), custom("namespace", [], "tenant")];
            expect(depthOf(nodes).depth).to.equal(1);
            expect(depthOf(nodes, true)).to.deep.equal({ depth: 2, chain: ["vault", "tenant", "namespace"], unknown: [] });
        });

        it("counts a component that something waits for (a remote one, such as a Helm chart) as one resource", () => {
            const nodes = [custom("namespace"), component("chart", ["namespace"]), custom("secret", ["chart"])];
            expect(depthOf(nodes)).to.deep.equal({ depth: 3, chain: ["namespace", "chart", "secret"], unknown: [] });
        });

        it("counts a custom parent with parent links", () => {
            const nodes = [custom("chart"), custom("object", [], "chart")];
            expect(depthOf(nodes).depth).to.equal(1);
            expect(depthOf(nodes, true).depth).to.equal(2);
        });

        it("counts a dependency that was never registered as one resource and lists it", () => {
            expect(depthOf([custom("b", ["elsewhere"])])).to.deep.equal({ depth: 2, chain: ["elsewhere", "b"], unknown: ["elsewhere"] });
        });

        it("fails when the graph has a cycle", () => {
            expect(() => depthOf([custom("a", ["c"]), custom("b", ["a"]), custom("c", ["b"])])).to.throw("the deployment graph has a cycle: a -> c -> b -> a");
        });

        it("handles a chain of 20,000 resources without recursion", () => {
            const nodes = Array.from({ length: 20_000 }, (_, i) => custom(`r${i}`, i === 0 ? [] : [`r${i - 1}`]));
            expect(depthOf(nodes.reverse()).depth).to.equal(20_000);
        });
    });

    describe("summarizeProfile", () => {
        it("adds self time per function and per package", () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "p.cpuprofile");
            const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
            fs.writeFileSync(file, JSON.stringify({
                nodes: [
                    { id: 1, callFrame: frame("(root)", "") },
                    { id: 2, callFrame: frame("debuggablePromise", "file:///p/node_modules/@pulumi/pulumi/runtime/debuggable.js") },
                    { id: 3, callFrame: frame("(garbage collector)", "") },
                ],
                samples: [2, 3, 2, 2],
                timeDeltas: [1000, 2000, 3000, 2000],
            }));
            const summary = summarizeProfile(file);
            expect(summary.totalMs).to.equal(8);
            expect(summary.byPackage.map((l) => [l.where, l.selfMs, l.share])).to.deep.equal([["@pulumi/pulumi", 6, 0.75], ["(garbage collector)", 2, 0.25]]);
            expect(summary.byFunction[0].where).to.equal("debuggablePromise (@pulumi/pulumi/runtime/debuggable.js:10)");
        });
    });

    describe("targets (what the bench prints as NOT met makes it exit 1)", () => {
        const size = (tenants: number, over: Partial<SizeResult> = {}): SizeResult => ({
            tenants, ratio: 1.2, ratioCpu: 1.1, depthEngine: 16, depthSdk: 20, peakRssBytes: 3 * 2 ** 30,
            longestChainEngine: ["a", "b"], longestChainSdk: ["a", "b", "c"], ...over,
        });
        const verdicts = (results: SizeResult[]) => judge(results).map((v) => [v.target, v.met]);

        it("meets every target at 1,000 tenants within ratio, depth and memory", () => {
            const results = [size(1), size(1000)];
            expect(verdicts(results)).to.deep.equal([["ratio", true], ["depth", true], ["peak-rss", true]]);
            expect(exitCode(judge(results), results, { targets: true })).to.equal(0);
            expect(judge(results)[0].lines).to.deep.equal(["ratio at 1,000 tenants: 1.200x the floor's wall time (target <= 1.3x): met; CPU time 1.100x"]);
        });

        it("exits 1 when the ratio, the depth or the memory target is NOT met, and 0 with --no-targets", () => {
            for (const [results, target] of [
                [[size(1), size(1000, { ratio: 1.31 })], "ratio"],
                [[size(1), size(1000, { depthEngine: 17 })], "depth"],
                [[size(1), size(1000, { peakRssBytes: RSS_LIMIT_BYTES })], "peak-rss"],
            ] as const) {
                const judged = judge([...results]);
                expect(judged.filter((v) => v.met === false).map((v) => v.target), target).to.deep.equal([target]);
                expect(judged.find((v) => v.target === target)!.lines[0], target).to.match(/NOT (met|equal)/);
                expect(exitCode(judged, [...results], { targets: true }), target).to.equal(1);
                expect(exitCode(judged, [...results], { targets: false }), target).to.equal(0);
            }
        });

        it("does not judge the ratio below 1,000 tenants, nor the depth for one size", () => {
            const results = [size(1, { ratio: 2.96 })];
            expect(verdicts(results)).to.deep.equal([["ratio", undefined], ["depth", undefined], ["peak-rss", true]]);
            expect(judge(results)[0].lines).to.deep.equal(["ratio at 1 tenant: 2.960x the floor's wall time; the target (<= 1.3x) applies from 1,000 tenants: not judged"]);
            expect(judge(results)[1].lines).to.deep.equal(["deployment graph depth: not compared (one size only; it compares the smallest and the largest)"]);
            expect(exitCode(judge(results), results, { targets: true })).to.equal(0);
        });

        it("exits 1 when a measurement failed, also with --no-targets", () => {
            const results = [size(1), { tenants: 1000, error: "the measuring process ran out of heap" }];
            expect(verdicts(results)).to.deep.equal([["ratio", undefined], ["depth", undefined], ["peak-rss", undefined]]);
            expect(exitCode(judge(results), results, { targets: false })).to.equal(1);
            const floorFailed = [size(1), size(1000, { ratio: undefined, floor: { error: "heap" } })];
            expect(exitCode(judge(floorFailed), floorFailed, { targets: false })).to.equal(1);
        });
    });
});
