// Tenant access through the real program: what an exposed tenant registers, in gateway and
// ingress mode, and that nothing is reachable when exposure is off.
import { expect } from "chai";
import { RunResult } from "../scripts/recorder";
import { readStackFile } from "../scripts/stack-file";
import { byName, dependencyNames, parentOf, runStack } from "./helpers";
import { isKubernetesObject, validateAgainstUpstream } from "./kubernetes-schemas";

const devPlatform = readStackFile("dev").config.platform as Record<string, unknown>;
const tenant = (name: string, exposed: boolean) => ({
    name, ownerGroups: [`${name}-admins`], exposure: { enabled: exposed },
});

function run(mode: "gateway" | "ingress" | "none", tenants: unknown[]): Promise<RunResult> {
    const exposure = mode === "gateway" ? { mode, gatewayClassName: "eg", proxyNamespace: "envoy-gateway-system" }
        : mode === "ingress" ? { mode } : { mode };
    return runStack("dev", { platform: { ...devPlatform, exposure }, tenants });
}

const ACCESS_RESOURCES = (t: string, route: string) => [
    `${route === "gateway" ? "kubernetes:gateway.networking.k8s.io/v1alpha2:TLSRoute" : "kubernetes:networking.k8s.io/v1:Ingress"} ${t}-${route === "gateway" ? "gateway-route" : "api-ingress"}`,
    `kubernetes:core/v1:ServiceAccount ${t}-kubeconfig-writer-sa`,
    `kubernetes:external-secrets.io/v1:SecretStore ${t}-kubeconfig-writer-store`,
    `kubernetes:external-secrets.io/v1alpha1:PushSecret ${t}-kubeconfig-push`,
    `kubernetes:networking.k8s.io/v1:NetworkPolicy ${t}-api-network-policy`,
    `vault:index/policy:Policy ${t}-kubeconfig-writer-policy`,
    `vault:kubernetes/authBackendRole:AuthBackendRole ${t}-kubeconfig-writer-role`,
].sort();

function accessOf(result: RunResult, t: string): string[] {
    const accessNames = new Set(ACCESS_RESOURCES(t, "gateway").concat(ACCESS_RESOURCES(t, "ingress")).map((s) => s.split(" ")[1]));
    return result.resources.filter((r) => accessNames.has(r.name)).map((r) => `${r.type} ${r.name}`).sort();
}

describe("tenant access through the program", function () {
    this.timeout(120_000);
    let gateway: RunResult;
    before(async () => {
        gateway = await run("gateway", [tenant("team-a", true), tenant("team-b", false)]);
    });

    it("registers the seven access resources under an exposed tenant, and none under the others", () => {
        expect(accessOf(gateway, "team-a")).to.deep.equal(ACCESS_RESOURCES("team-a", "gateway"));
        for (const entry of ACCESS_RESOURCES("team-a", "gateway")) {
            const [type, name] = entry.split(" ");
            expect(parentOf(gateway, byName(gateway, type, name))).to.equal("gitops-hub:tenant:Tenant team-a");
        }
        expect(accessOf(gateway, "team-b")).to.deep.equal([]);
    });

    it("puts one Gateway with one passthrough listener for the exposed tenant on the hub", () => {
        const gw = byName(gateway, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "tenant-gateway-gateway");
        expect(parentOf(gateway, gw)).to.equal("gitops-hub:hub:TenantGateway tenant-gateway");
        const spec = gw.inputs.spec as { gatewayClassName: string; listeners: Record<string, unknown>[] };
        expect(spec.gatewayClassName).to.equal("eg");
        expect(spec.listeners.map((l) => [l.name, l.hostname, l.protocol, l.port, (l.tls as { mode: string }).mode])).to.deep.equal([
            ["team-a", "team-a.dev.gitops.example.com", "TLS", 443, "Passthrough"],
        ]);
    });

    it("routes the tenant's host name to its own vCluster service", () => {
        const route = byName(gateway, "kubernetes:gateway.networking.k8s.io/v1alpha2:TLSRoute", "team-a-gateway-route");
        expect(route.inputs.metadata).to.deep.include({ name: "vcluster-api", namespace: "vcluster-team-a" });
        expect(route.inputs.spec).to.deep.equal({
            parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "vcluster-api", namespace: "tenant-gateway", sectionName: "team-a" }],
            hostnames: ["team-a.dev.gitops.example.com"],
            rules: [{ backendRefs: [{ name: "team-a", port: 443 }] }],
        });
        expect(dependencyNames(gateway, route)).to.deep.equal([
            "kubernetes:core/v1:Namespace team-a-namespace",
            "kubernetes:helm.sh/v4:Chart team-a-vcluster",
        ]);
    });

    it("adds the external host name to the vCluster's serving certificate, keeping the in-hub names", () => {
        const chart = byName(gateway, "kubernetes:helm.sh/v4:Chart", "team-a-vcluster");
        const sans = ((chart.inputs.values as any).controlPlane.proxy.extraSANs) as string[];
        expect(sans).to.include("team-a.dev.gitops.example.com");
        expect(sans).to.include("team-a.vcluster-team-a.svc");
        const other = byName(gateway, "kubernetes:helm.sh/v4:Chart", "team-b-vcluster");
        expect(((other.inputs.values as any).controlPlane.proxy.extraSANs) as string[]).to.not.include("team-b.dev.gitops.example.com");
    });

    it("pushes the kubeconfig into exactly the tenant's own Vault path, through a writer only for that path", () => {
        const push = byName(gateway, "kubernetes:external-secrets.io/v1alpha1:PushSecret", "team-a-kubeconfig-push");
        expect(push.inputs.metadata).to.deep.include({ namespace: "vcluster-team-a" });
        expect((push.inputs.spec as any).data).to.deep.equal([{ match: { secretKey: "config", remoteRef: { remoteKey: "kubeconfig", property: "config" } } }]);
        expect(dependencyNames(gateway, push)).to.include.members([
            "kubernetes:external-secrets.io/v1:SecretStore team-a-kubeconfig-writer-store",
            "kubernetes:helm.sh/v4:Chart team-a-vcluster",
            "vault:index/mount:Mount team-a-vault-mount",
        ]);
        const store = byName(gateway, "kubernetes:external-secrets.io/v1:SecretStore", "team-a-kubeconfig-writer-store");
        expect((store.inputs.spec as any).provider.vault.path).to.equal("tenants/team-a");
        const policy = byName(gateway, "vault:index/policy:Policy", "team-a-kubeconfig-writer-policy");
        expect(policy.inputs.name).to.equal("kubeconfig-writer-team-a");
        const paths = [...String(policy.inputs.policy).matchAll(/path "([^"]+)"/g)].map((m) => m[1]);
        expect(paths).to.deep.equal(["tenants/team-a/data/kubeconfig", "tenants/team-a/metadata/kubeconfig"]);
        const role = byName(gateway, "vault:kubernetes/authBackendRole:AuthBackendRole", "team-a-kubeconfig-writer-role");
        expect(role.inputs).to.deep.include({
            boundServiceAccountNames: ["vault-kubeconfig-writer"],
            boundServiceAccountNamespaces: ["vcluster-team-a"],
            audience: "vault",
            tokenPolicies: ["kubeconfig-writer-team-a"],
        });
    });

    it("labels every access object with tenant and environment and validates them against upstream schemas", async () => {
        const names = new Set(ACCESS_RESOURCES("team-a", "gateway").map((s) => s.split(" ")[1]).concat("tenant-gateway-gateway"));
        const objects = gateway.resources.filter((r) => names.has(r.name) && isKubernetesObject(r));
        expect(objects).to.have.length(6);
        for (const object of objects.filter((o) => o.name !== "tenant-gateway-gateway")) {
            expect((object.inputs.metadata as any).labels).to.deep.include({ "gitops-hub.io/tenant": "team-a", "gitops-hub.io/environment": "dev" });
        }
        const errors = (await Promise.all(objects.map(validateAgainstUpstream))).filter(Boolean);
        expect(errors).to.deep.equal([]);
    });

    it("uses an SSL-passthrough Ingress in ingress mode, and no Gateway", async () => {
        const ingress = await run("ingress", [tenant("team-a", true)]);
        expect(accessOf(ingress, "team-a")).to.deep.equal(ACCESS_RESOURCES("team-a", "ingress"));
        const object = byName(ingress, "kubernetes:networking.k8s.io/v1:Ingress", "team-a-api-ingress");
        expect((object.inputs.metadata as any).annotations).to.deep.include({ "nginx.ingress.kubernetes.io/ssl-passthrough": "true" });
        expect((object.inputs.spec as any).rules[0].host).to.equal("team-a.dev.gitops.example.com");
        expect(ingress.resources.filter((r) => r.type.includes("Gateway"))).to.deep.equal([]);
    });

    it("registers nothing reachable from outside when exposure is off", async () => {
        const none = await run("none", [tenant("team-a", false)]);
        expect(accessOf(none, "team-a")).to.deep.equal([]);
        expect(none.resources.filter((r) => /Gateway|TLSRoute|PushSecret|Ingress/.test(r.type) && r.name.startsWith("team-a"))).to.deep.equal([]);
    });
});
