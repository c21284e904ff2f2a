// The sharded layout: a hub stack (platform, no tenants) and tenant stacks that read it through
// a StackReference. The same components register the same tenant resources as the single-stack
// layout, so a tenant moves between layouts or shards with `pulumi state move`, not a rebuild.
import { expect } from "chai";
import { RecordedResource, RunResult, runProgram } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { ConfigError } from "../stacks/loader";
import { byName, runStack, TEST_VAULT_TOKEN } from "./helpers";

const HUB = "acme/gitops-hub/dev";
const dev = readStackFile("dev");
const tenants = dev.config.tenants as { name: string }[];

/** Everything a tenant owns: the component and all resources below it, by URN prefix of the chain. */
function tenantResources(result: RunResult, tenant: string): RecordedResource[] {
    const root = result.resources.find((r) => r.type === "gitops-hub:tenant:Tenant" && r.name === tenant)!;
    const owned = new Set([root.urn]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of result.resources) {
            if (r.parent && owned.has(r.parent) && !owned.has(r.urn)) { owned.add(r.urn); grew = true; }
        }
    }
    return result.resources.filter((r) => owned.has(r.urn));
}

/** URN without the stack name: what `pulumi state move` keeps. */
const stackless = (urn: string) => urn.replace(/^urn:pulumi:[^:]+::/, "urn:pulumi:*::");

describe("sharded tenant stacks", function () {
    this.timeout(120_000);
    let single: RunResult;
    let hub: RunResult;
    let shard: RunResult;

    before(async () => {
        single = await runStack("dev");
        hub = await runStack("dev", { tenants: [] });
        shard = await runProgram({
            stack: "tenants-a",
            config: { hubStack: HUB, tenants: [tenants[1]] },
            secrets: { vaultToken: TEST_VAULT_TOKEN },
            stackReferences: { [HUB]: hub.outputs },
        });
    });

    it("the hub stack exports the validated platform settings and the in-cluster Vault address, and no tenant", () => {
        expect((hub.outputs.platformConfig as { environment: string }).environment).to.equal("dev");
        expect(hub.outputs.vaultAddress).to.equal("http://vault.vault.svc:8200");
        expect(hub.outputs.tenantNames).to.deep.equal([]);
        expect(hub.resources.filter((r) => r.type === "gitops-hub:tenant:Tenant")).to.deep.equal([]);
    });

    it("a shard registers its stack reference, its own Vault provider and only its tenants", () => {
        const top = shard.resources.filter((r) => !r.parent).map((r) => `${r.type} ${r.name}`).sort();
        expect(top).to.deep.equal([
            "gitops-hub:tenant:Tenant team-b",
            "pulumi:providers:vault vault",
            "pulumi:pulumi:StackReference hub",
        ]);
        expect(byName(shard, "pulumi:pulumi:StackReference", "hub").inputs.name).to.equal(HUB);
        expect(byName(shard, "pulumi:providers:vault", "vault").inputs.address).to.equal("http://127.0.0.1:8200");
        expect(byName(shard, "pulumi:providers:vault", "vault").secretPaths).to.deep.equal(["token"]);
        expect(shard.outputs.tenantNames).to.deep.equal(["team-b"]);
        expect(shard.outputs.hubStack).to.equal(HUB);
    });

    it("registers for a tenant exactly what the single-stack layout registers: same types, names, URNs and inputs", () => {
        const inSingle = tenantResources(single, "team-b");
        const inShard = tenantResources(shard, "team-b");
        expect(inShard.map((r) => stackless(r.urn)).sort()).to.deep.equal(inSingle.map((r) => stackless(r.urn)).sort());
        const bySingleUrn = new Map(inSingle.map((r) => [stackless(r.urn), r]));
        for (const r of inShard) {
            expect(JSON.stringify(r.inputs), r.name).to.equal(JSON.stringify(bySingleUrn.get(stackless(r.urn))!.inputs));
            expect(r.protect, r.name).to.equal(bySingleUrn.get(stackless(r.urn))!.protect);
        }
        expect(inShard).to.have.length(inSingle.length);
    });

    it("tenants in a shard wait for nothing of the hub's (it is deployed by its own stack)", () => {
        const hubTypes = new Set(hub.resources.map((r) => r.type));
        const shardUrns = new Set(shard.resources.map((r) => r.urn));
        for (const r of shard.resources) {
            for (const dep of r.dependencies) expect(shardUrns.has(dep), `${r.name} waits for ${dep}`).to.equal(true);
        }
        expect(hubTypes.has("gitops-hub:hub:ArgoCd")).to.equal(true);
    });

    it("fails when a shard also sets platform settings", async () => {
        let error: unknown;
        try {
            await runProgram({ stack: "tenants-a", config: { hubStack: HUB, platform: dev.config.platform, tenants: [] }, stackReferences: { [HUB]: hub.outputs } });
        } catch (e) { error = e; }
        expect(error).to.be.instanceOf(Error);
        expect((error as ConfigError).problems).to.deep.equal([
            "gitops-hub:platform is set in a tenant shard stack (it has gitops-hub:hubStack); a shard takes its platform settings from the hub stack, so remove gitops-hub:platform here",
        ]);
    });

    it("fails when the hub stack has not exported its platform yet", async () => {
        let error: unknown;
        try {
            await runProgram({ stack: "tenants-a", config: { hubStack: HUB, tenants: [] }, stackReferences: { [HUB]: {} } });
        } catch (e) { error = e; }
        expect((error as ConfigError).problems).to.deep.equal([
            `gitops-hub:hubStack "${HUB}" exports no platformConfig; deploy the hub stack first (pulumi up -s ${HUB})`,
        ]);
    });

    it("fails when a shard would expose a tenant through the hub's shared Gateway", async () => {
        const gatewayHub = { ...hub.outputs, platformConfig: { ...(hub.outputs.platformConfig as object), exposure: { mode: "gateway", gatewayClassName: "eg", proxyNamespace: "tenant-gateway" } } };
        let error: unknown;
        try {
            await runProgram({ stack: "tenants-a", config: { hubStack: HUB, tenants: [{ name: "team-x", ownerGroups: ["x"], exposure: { enabled: true } }] }, stackReferences: { [HUB]: gatewayHub } });
        } catch (e) { error = e; }
        expect((error as ConfigError).problems).to.deep.equal([
            `tenants[0].exposure.enabled true needs the hub's shared Gateway (platform.exposure.mode "gateway"), which a tenant shard cannot share with other stacks; keep exposed tenants in the hub stack, or use exposure mode "ingress" with shards`,
        ]);
    });

    it("reports a shard's bad tenants with the loader's paths before registering any tenant", async () => {
        let error: unknown;
        try {
            await runProgram({ stack: "tenants-a", config: { hubStack: HUB, tenants: [{ name: "Team_X", ownerGroups: ["x"] }] }, stackReferences: { [HUB]: hub.outputs } });
        } catch (e) { error = e; }
        expect((error as ConfigError).problems).to.deep.equal([
            `tenants[0].name "Team_X" must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "team-a"`,
        ]);
    });
});
