// `npm run tenant -- kubeconfig <name> --stack <s> [--write <file>]` against a fake Vault on
// 127.0.0.1, and the loader's exposure checks, each with its exact message.
import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { KubeconfigError, kubeconfig, kubeconfigCommand } from "../scripts/tenant/kubeconfig";
import { readStackFile } from "../scripts/stack-file";
import { main } from "../scripts/tenant/main";
import { ConfigError, parseStackConfig } from "../stacks/loader";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://team-a.dev.gitops.example.com\n  name: team-a\n";
const GOOD_TOKEN = "hvs.team-a-member-token";
const NO_POLICY_TOKEN = "hvs.someone-else";

/** The dev stack's config with exposure switched on for team-a (gateway mode), and team-b left off. */
function exposedDevConfig(): { platform: Record<string, unknown>; tenants: Record<string, unknown>[] } {
    const dev = readStackFile("dev").config as { platform: Record<string, unknown>; tenants: Record<string, unknown>[] };
    return {
        platform: { ...dev.platform, exposure: { mode: "gateway", gatewayClassName: "eg" } },
        tenants: dev.tenants.map((t) => (t.name === "team-a" ? { ...t, exposure: { enabled: true } } : t)),
    };
}

function parse(platform: unknown, tenants: unknown) {
    return parseStackConfig({ values: { platform, tenants }, secretsSet: new Set() });
}

function problemsOf(platform: unknown, tenants: unknown): string[] {
    try {
        parse(platform, tenants);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
}

interface Seen {
    method?: string;
    url?: string;
    token?: string;
}

describe("tenant kubeconfig", () => {
    let root: string;
    let vault: http.Server;
    let vaultAddr: string;
    let seen: Seen[];
    let lines: string[];
    const io = { out: (line: string) => lines.push(line) };

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-cli-"));
        const { platform, tenants } = exposedDevConfig();
        fs.writeFileSync(path.join(root, "Pulumi.test.yaml"), stringify({ config: { "gitops-hub:platform": platform, "gitops-hub:tenants": tenants } }));
        // Both tenants exposed, but Vault holds only team-a's kubeconfig.
        fs.writeFileSync(path.join(root, "Pulumi.both.yaml"), stringify({
            config: { "gitops-hub:platform": platform, "gitops-hub:tenants": tenants.map((t) => ({ ...t, exposure: { enabled: true } })) },
        }));
        vault = http.createServer((request, response) => {
            seen.push({ method: request.method, url: request.url, token: request.headers["x-vault-token"] as string | undefined });
            const send = (status: number, body: unknown) => {
                response.writeHead(status, { "Content-Type": "application/json" });
                response.end(JSON.stringify(body));
            };
            if (request.headers["x-vault-token"] !== GOOD_TOKEN) return send(403, { errors: ["1 error occurred:\n\t* permission denied\n\n"] });
            if (request.method === "GET" && request.url === "/v1/tenants/team-a/data/kubeconfig") {
                return send(200, { data: { data: { config: KUBECONFIG }, metadata: { version: 3 } } });
            }
            return send(404, { errors: [] });
        });
        await new Promise<void>((resolve) => vault.listen(0, "127.0.0.1", resolve));
        vaultAddr = `http://127.0.0.1:${(vault.address() as AddressInfo).port}`;
    });

    after(async () => {
        await new Promise((resolve) => vault.close(resolve));
        fs.rmSync(root, { recursive: true, force: true });
    });

    beforeEach(() => {
        seen = [];
        lines = [];
    });

    const options = (write?: string) => ({ stack: "test", root, ...(write === undefined ? {} : { write }) });
    const failure = async (promise: Promise<unknown>): Promise<KubeconfigError> => {
        try {
            await promise;
        } catch (error) {
            expect(error).to.be.instanceOf(KubeconfigError);
            return error as KubeconfigError;
        }
        throw new Error("expected the command to fail");
    };

    it("prints the Vault command without --write, and asks Vault nothing", async () => {
        await kubeconfig("team-a", options(), io, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: GOOD_TOKEN });
        expect(lines).to.deep.equal(["vault kv get -mount=tenants/team-a -field=config kubeconfig"]);
        expect(seen).to.deep.equal([]);
    });

    it("parses `kubeconfig <name> --stack <s>` as a commander command", async () => {
        await kubeconfigCommand(io).parseAsync(["team-a", "--stack", "test", "--root", root], { from: "user" });
        expect(lines).to.deep.equal(["vault kv get -mount=tenants/team-a -field=config kubeconfig"]);
    });

    it("runs as `npm run tenant -- kubeconfig`: exit 0 with the command, exit 2 with `error: <message>`", async () => {
        const written: string[] = [];
        const [out, err] = [process.stdout.write, process.stderr.write];
        process.stdout.write = ((chunk: string) => written.push(`out:${chunk}`) > 0) as typeof process.stdout.write;
        process.stderr.write = ((chunk: string) => written.push(`err:${chunk}`) > 0) as typeof process.stderr.write;
        let codes: number[];
        try {
            codes = [
                await main(["kubeconfig", "team-a", "--stack", "test", "--root", root]),
                await main(["kubeconfig", "team-x", "--stack", "test", "--root", root]),
            ];
        } finally {
            process.stdout.write = out;
            process.stderr.write = err;
        }
        expect(codes).to.deep.equal([0, 2]);
        expect(written).to.deep.equal([
            "out:vault kv get -mount=tenants/team-a -field=config kubeconfig\n",
            `err:error: no tenant "team-x" in stack "test" (did you mean "team-a"?); tenants there: team-a, team-b\n`,
        ]);
    });

    it("writes the kubeconfig from Vault's KV v2 API with the caller's token, mode 0600, and never prints the token", async () => {
        const file = path.join(root, "team-a.kubeconfig");
        await kubeconfig("team-a", options(file), io, { VAULT_ADDR: `${vaultAddr}/`, VAULT_TOKEN: GOOD_TOKEN });
        expect(fs.readFileSync(file, "utf8")).to.equal(KUBECONFIG);
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(seen).to.deep.equal([{ method: "GET", url: "/v1/tenants/team-a/data/kubeconfig", token: GOOD_TOKEN }]);
        expect(lines).to.deep.equal([
            `wrote the kubeconfig of tenant "team-a" (https://team-a.dev.gitops.example.com) to ${file} (mode 0600); try: KUBECONFIG=${file} kubectl get pods -A`,
        ]);
        expect(lines.join("\n")).to.not.include(GOOD_TOKEN);
    });

    it("narrows an existing, wider file to 0600 before writing the kubeconfig into it", async () => {
        const file = path.join(root, "existing.kubeconfig");
        fs.writeFileSync(file, "old", { mode: 0o644 });
        fs.chmodSync(file, 0o644);
        await kubeconfig("team-a", options(file), io, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: GOOD_TOKEN });
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(fs.readFileSync(file, "utf8")).to.equal(KUBECONFIG);
    });

    it("fails when the token's policy does not grant the tenant's kubeconfig (403)", async () => {
        const file = path.join(root, "denied.kubeconfig");
        const error = await failure(kubeconfig("team-a", options(file), io, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: NO_POLICY_TOKEN }));
        expect(error.message).to.equal(`Vault at ${vaultAddr} denied tenants/team-a/data/kubeconfig (403): your token's policy does not grant tenants/team-a/data/kubeconfig; ask a platform admin for the Vault policy tenant-team-a`);
        expect(error.message).to.not.include(NO_POLICY_TOKEN);
        expect(fs.existsSync(file)).to.equal(false);
    });

    it("fails when the kubeconfig has not been pushed yet (404)", async () => {
        const error = await failure(kubeconfig("team-b", { stack: "both", root, write: path.join(root, "b.kubeconfig") }, io, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: GOOD_TOKEN }));
        expect(error.message).to.equal(`no kubeconfig at tenants/team-b/data/kubeconfig in Vault at ${vaultAddr} (404): it has not been pushed yet; check the PushSecret status with kubectl -n vcluster-team-b get pushsecret kubeconfig`);
    });

    it("fails when Vault is unreachable, naming the address and the low-level error code", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        const error = await failure(kubeconfig("team-a", options(path.join(root, "x.kubeconfig")), io, { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: GOOD_TOKEN }));
        expect(error.message).to.equal(`cannot reach Vault at http://127.0.0.1:${port}: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${port}); check VAULT_ADDR and that your route to Vault (VPN, port-forward) is up`);
    });

    it("fails when VAULT_ADDR or VAULT_TOKEN is missing", async () => {
        const file = path.join(root, "y.kubeconfig");
        expect((await failure(kubeconfig("team-a", options(file), io, { VAULT_TOKEN: GOOD_TOKEN }))).message)
            .to.equal("VAULT_ADDR is not set; export the address of the platform's Vault, e.g. export VAULT_ADDR=https://vault.example.com:8200");
        expect((await failure(kubeconfig("team-a", options(file), io, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: " " }))).message)
            .to.equal("VAULT_TOKEN is not set; log in to Vault as yourself (e.g. vault login -method=oidc) and export VAULT_TOKEN=$(vault print token)");
        expect((await failure(kubeconfig("team-a", options(file), io, { VAULT_ADDR: "vault:8200", VAULT_TOKEN: GOOD_TOKEN }))).message)
            .to.equal(`VAULT_ADDR "vault:8200" is not an http(s):// URL; e.g. export VAULT_ADDR=https://vault.example.com:8200`);
        expect(seen).to.deep.equal([]);
    });

    it("fails when the stack has no such tenant, listing the tenants", async () => {
        expect((await failure(kubeconfig("team-x", options(), io, {}))).message)
            .to.equal(`no tenant "team-x" in stack "test" (did you mean "team-a"?); tenants there: team-a, team-b`);
        expect((await failure(kubeconfig("payments", options(), io, {}))).message)
            .to.equal(`no tenant "payments" in stack "test"; tenants there: team-a, team-b`);
    });

    it("fails when the tenant is not exposed, saying which setting to change", async () => {
        expect((await failure(kubeconfig("team-b", options(), io, {}))).message)
            .to.equal(`tenant "team-b" in stack "test" is not reachable from outside the hub (tenants[1].exposure.enabled is false), so no kubeconfig is pushed to Vault; set tenants[1].exposure.enabled to true (with a platform.exposure.mode) and run pulumi up`);
    });

    it("fails when there is no such stack", async () => {
        const error = await failure(kubeconfig("team-a", { stack: "nope", root }, io, {}));
        expect(error.message).to.match(/^no stack "nope": .*Pulumi\.nope\.yaml does not exist; stacks here: both, test$/);
    });
});

describe("stack config: exposure", () => {
    const dev = () => readStackFile("dev").config as { platform: Record<string, unknown>; tenants: Record<string, unknown>[] };
    const withExposure = (platformExposure: unknown, tenantExposure: Record<string, unknown> = {}) => {
        const { platform, tenants } = dev();
        return {
            platform: platformExposure === undefined ? platform : { ...platform, exposure: platformExposure },
            tenants: tenants.map((t) => ((t.name as string) in tenantExposure ? { ...t, exposure: tenantExposure[t.name as string] } : t)),
        };
    };

    it("defaults to mode none and every tenant unexposed, in dev and in prod", () => {
        const { platform, tenants } = dev();
        const config = parse(platform, tenants);
        expect(config.platform.exposure).to.deep.equal({ mode: "none" });
        expect(config.tenants.map((t) => t.exposure)).to.deep.equal([{ enabled: false }, { enabled: false }]);
        const prod = readStackFile("prod").config as { platform: unknown; tenants: unknown };
        const prodConfig = parseStackConfig({ values: prod, secretsSet: new Set(["vaultToken"]) });
        expect(prodConfig.platform.exposure).to.deep.equal({ mode: "none" });
        expect(prodConfig.tenants.map((t) => t.exposure)).to.deep.equal([{ enabled: false }, { enabled: false }]);
    });

    it("fills in ingress-nginx in ingress mode and the Gateway's namespace in gateway mode", () => {
        const ingress = withExposure({ mode: "ingress" }, { "team-a": { enabled: true } });
        expect(parse(ingress.platform, ingress.tenants).platform.exposure).to.deep.equal({ mode: "ingress", ingressClassName: "nginx", proxyNamespace: "ingress-nginx" });
        const gateway = withExposure({ mode: "gateway", gatewayClassName: "eg" }, { "team-a": { enabled: true } });
        expect(parse(gateway.platform, gateway.tenants).platform.exposure).to.deep.equal({ mode: "gateway", gatewayClassName: "eg", proxyNamespace: "tenant-gateway" });
    });

    it("fails when a tenant is exposed while platform.exposure.mode is none", () => {
        const { platform, tenants } = withExposure(undefined, { "team-b": { enabled: true } });
        expect(problemsOf(platform, tenants)).to.deep.equal([
            `tenants[1].exposure.enabled is true, but platform.exposure.mode is "none", so nothing outside the hub can reach the vCluster; set platform.exposure.mode to "gateway" or "ingress", or set tenants[1].exposure.enabled to false`,
        ]);
    });

    it("fails when gateway mode has no GatewayClass, or a class is set for the other mode", () => {
        const gateway = withExposure({ mode: "gateway", ingressClassName: "nginx" });
        expect(problemsOf(gateway.platform, gateway.tenants)).to.deep.equal([
            `platform.exposure.ingressClassName "nginx" is only used in "ingress" mode (mode is "gateway"); remove it`,
            `platform.exposure.gatewayClassName is missing; mode "gateway" needs the GatewayClass of the hub's Gateway controller (one that supports TLSRoute), e.g. "eg"`,
        ]);
        const none = withExposure({ mode: "none", gatewayClassName: "eg", proxyNamespace: "ingress-nginx" });
        expect(problemsOf(none.platform, none.tenants)).to.deep.equal([
            `platform.exposure.gatewayClassName "eg" is only used in "gateway" mode (mode is "none"); remove it`,
            `platform.exposure.proxyNamespace "ingress-nginx" is only used in "gateway" and "ingress" mode (mode is "none"); remove it`,
        ]);
    });

    it("fails on an unknown mode or exposure key, with the allowed values", () => {
        const { platform, tenants } = withExposure({ mode: "loadbalancer" }, { "team-a": { enabled: true, host: "x" } });
        expect(problemsOf(platform, tenants)).to.deep.equal([
            `platform.exposure.mode "loadbalancer" must be one of "none", "gateway", "ingress"`,
            `tenants[0].exposure.host is not a known setting; allowed here: enabled`,
        ]);
    });

    it("fails when <tenant>.<domain> is longer than a DNS name may be", () => {
        const domain = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}`;
        expect(domain.length).to.equal(250);
        const { platform, tenants } = withExposure({ mode: "ingress" }, { "team-a": { enabled: true } });
        const host = `team-a.${domain}`;
        expect(problemsOf({ ...platform, domain, argocd: { ...(platform.argocd as object), hostname: "argocd.example.com" } }, tenants)).to.deep.equal([
            `tenants[0].name "team-a" makes the vCluster API host name ${JSON.stringify(host).slice(0, 77)}... 257 characters long; a DNS name has at most 253; shorten the tenant name or platform.domain`,
        ]);
    });

    it("fails when gateway mode would need more than 64 listeners", () => {
        const { platform, tenants } = dev();
        const many = Array.from({ length: 65 }, (_, i) => ({ ...tenants[0], name: `t${i}`, ownerGroups: [`t${i}-admins`], applications: [], exposure: { enabled: true } }));
        expect(problemsOf({ ...platform, exposure: { mode: "gateway", gatewayClassName: "eg" } }, many)).to.deep.equal([
            `platform.exposure.mode "gateway" gives every exposed tenant its own listener on one Gateway, which holds at most 64, but 65 active tenants set exposure.enabled: true; expose at most 64 or use mode "ingress"`,
        ]);
    });
});
