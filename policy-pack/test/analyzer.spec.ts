// Runs the policy pack the way the Pulumi engine does and talks to it over the analyzer gRPC
// protocol. The engine (through pulumi-language-nodejs' RunPlugin for kind=analyzer) runs
//   node <policy pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine address> <policy pack dir>
// with the policy pack directory as working directory and PULUMI_NODEJS_{PROJECT,STACK,DRY_RUN},
// PULUMI_CONFIG in the environment. run-policy-pack registers ts-node (type-checking, with the
// pack's tsconfig.json), requires the pack (package.json "main": index.ts), whose PolicyPack
// starts the analyzer server on 127.0.0.1:0 and prints the port on stdout. The engine then calls
// GetPluginInfo, GetAnalyzerInfo, Configure (the --policy-pack-config), Analyze per resource and
// AnalyzeStack at the end.
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { rules } from "../catalog";

const allRuleIds = rules.map((rule) => rule.id);
const ruleMetadata = (id: string) => rules.find((rule) => rule.id === id);

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const packDir = path.resolve(__dirname, "..");
const prod = JSON.parse(fs.readFileSync(path.join(packDir, "config", "prod.json"), "utf8")) as Record<string, unknown>;
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const goodPod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "shop", namespace: "shop", labels: { app: "shop" } },
    spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
            {
                name: "shop",
                image: "ghcr.io/acme/shop:1.4.2",
                ports: [{ containerPort: 8080 }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
                livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
                readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
            },
        ],
    },
};

function badPod() {
    const pod = JSON.parse(JSON.stringify(goodPod));
    pod.spec.containers[0].securityContext.privileged = true;
    return pod;
}

type Call<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => void;

function call<Req, Res>(client: Record<string, unknown>, method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        (client[method] as Call<Req, Res>).call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>) {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType(type);
    request.setName(name);
    request.setUrn(`urn:pulumi:prod::gitops-hub::${type}::${name}`);
    request.setProperties(Struct.fromJavaScript(props));
    request.setOptions(new analyzerPb.AnalyzerResourceOptions());
    return request;
}

type Diagnostic = { policy: string; message: string; level: number; urn: string };

function diagnostics(response: { getDiagnosticsList(): unknown[] }): Diagnostic[] {
    return (response.getDiagnosticsList() as { getPolicyname(): string; getMessage(): string; getEnforcementlevel(): number; getUrn(): string }[]).map((d) => ({
        policy: d.getPolicyname(),
        message: d.getMessage(),
        level: d.getEnforcementlevel(),
        urn: d.getUrn(),
    }));
}

describe("analyzer protocol (the pack as the Pulumi engine runs it)", function () {
    this.timeout(180_000);
    let child: ChildProcess | undefined;
    let engine: grpc.Server | undefined;
    let client: Record<string, unknown>;
    let stderr = "";

    before(async () => {
        // The engine address run-policy-pack is given; it only strips it from argv, but we hand it a live one.
        engine = new grpc.Server();
        const enginePort = await new Promise<number>((resolve, reject) =>
            engine!.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, port) => (e ? reject(e) : resolve(port))),
        );
        const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) {
            if (!k.startsWith("TS_NODE_")) env[k] = v; // nothing of mocha's ts-node setup leaks into the pack
        }
        Object.assign(env, { PULUMI_NODEJS_PROJECT: "gitops-hub", PULUMI_NODEJS_STACK: "prod", PULUMI_NODEJS_DRY_RUN: "true", PULUMI_CONFIG: "{}" });
        child = spawn(process.execPath, [runPolicyPack, `127.0.0.1:${enginePort}`, packDir], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
        child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child!.stdout!.on("data", (chunk) => {
                out += String(chunk);
                const match = /^(\d+)\s*$/m.exec(out);
                if (match) resolve(Number(match[1]));
            });
            child!.on("exit", (code) => reject(new Error(`policy pack exited with ${code} before printing its port:\n${out}\n${stderr}`)));
        });
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        if (child && child.exitCode === null) {
            child.kill("SIGTERM");
        }
        (client as unknown as grpc.Client | undefined)?.close();
        engine?.forceShutdown();
    });

    it("answers GetPluginInfo with the @pulumi/policy version", async () => {
        const info = await call<unknown, { getVersion(): string }>(client, "getPluginInfo", new Empty());
        expect(info.getVersion()).to.equal("1.21.0");
    });

    it("lists every policy with its name, description and the pack's advisory level in GetAnalyzerInfo", async () => {
        const info = await call<unknown, { getName(): string; getVersion(): string; getPoliciesList(): { getName(): string; getDescription(): string; getEnforcementlevel(): number; getConfigschema(): unknown }[] }>(
            client,
            "getAnalyzerInfo",
            new Empty(),
        );
        expect(info.getName()).to.equal("gitops-hub-compliance");
        expect(info.getVersion()).to.equal("0.1.0");
        const listed = info.getPoliciesList();
        expect(listed.map((p) => p.getName())).to.deep.equal(allRuleIds);
        for (const policy of listed) {
            expect(policy.getDescription(), policy.getName()).to.equal(ruleMetadata(policy.getName())!.description);
            expect(policy.getEnforcementlevel(), policy.getName()).to.equal(analyzerPb.EnforcementLevel.ADVISORY);
            expect(policy.getConfigschema(), policy.getName()).to.not.equal(undefined);
        }
    });

    it("accepts the stack's identity through ConfigureStack", async () => {
        const request = new analyzerPb.AnalyzerStackConfigureRequest();
        request.setStack("prod");
        request.setProject("gitops-hub");
        request.setOrganization("acme");
        request.setDryRun(true);
        request.getTagsMap().set("environment", "prod");
        const response = await call<unknown, unknown>(client, "configureStack", request);
        expect(response).to.be.instanceOf(analyzerPb.AnalyzerStackConfigureResponse);
    });

    it("takes prod.json through Configure", async () => {
        const request = new analyzerPb.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const name of allRuleIds) {
            const entry = prod[name];
            const config = new analyzerPb.PolicyConfig();
            config.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
            const { enforcementLevel: _level, ...settings } = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
            config.setProperties(Struct.fromJavaScript(settings));
            map.set(name, config);
        }
        await call(client, "configure", request);
    });

    it("reports the privileged container of a bad Pod, mandatory, and nothing else", async () => {
        const response = await call<unknown, { getDiagnosticsList(): unknown[] }>(client, "analyze", analyzeRequest("kubernetes:core/v1:Pod", "shop", badPod()));
        expect(diagnostics(response)).to.deep.equal([
            {
                policy: "disallow-privileged-containers",
                // The server prefixes the policy's description to every message.
                message: `${ruleMetadata("disallow-privileged-containers")!.description}\nspec.containers[0].securityContext.privileged: container "shop" sets securityContext.privileged to true; it must be unset or false.`,
                level: analyzerPb.EnforcementLevel.MANDATORY,
                urn: "",
            },
        ]);
    });

    it("reports nothing for a good Pod", async () => {
        const response = await call<unknown, { getDiagnosticsList(): unknown[] }>(client, "analyze", analyzeRequest("kubernetes:core/v1:Pod", "shop", goodPod));
        expect(diagnostics(response)).to.deep.equal([]);
    });

    it("downgrades a check that needs a preview-unknown value to an advisory 'can't run'", async () => {
        const app = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "a", namespace: "argocd", annotations: { "gitops-hub.io/project-at-creation": "team-a" } }, spec: { project: UNKNOWN } };
        const response = await call<unknown, { getDiagnosticsList(): unknown[] }>(client, "analyze", analyzeRequest("kubernetes:argoproj.io/v1alpha1:Application", "a", app));
        expect(diagnostics(response).map((d) => [d.policy, d.level, d.message.includes("can't run policy") && d.message.includes("during preview")])).to.deep.equal([
            ["application-prevent-default-project", analyzerPb.EnforcementLevel.ADVISORY, true],
            ["application-prevent-updates-project", analyzerPb.EnforcementLevel.ADVISORY, true],
        ]);
    });

    it("runs the stack policies in AnalyzeStack and attaches findings to the resource's URN", async () => {
        const resource = new analyzerPb.AnalyzerResource();
        const urn = "urn:pulumi:prod::gitops-hub::kubernetes:core/v1:Namespace::tenant-lonely-namespace";
        resource.setType("kubernetes:core/v1:Namespace");
        resource.setName("tenant-lonely-namespace");
        resource.setUrn(urn);
        resource.setProperties(Struct.fromJavaScript({ apiVersion: "v1", kind: "Namespace", metadata: { name: "vcluster-lonely", labels: { "gitops-hub.io/tenant": "lonely" } } }));
        resource.setOptions(new analyzerPb.AnalyzerResourceOptions());
        const request = new analyzerPb.AnalyzeStackRequest();
        request.setResourcesList([resource]);
        const response = await call<unknown, { getDiagnosticsList(): unknown[] }>(client, "analyzeStack", request);
        expect(diagnostics(response).map((d) => [d.policy, d.urn, d.message.split("\n")[1]])).to.deep.equal([
            ["tenant-complete", urn, 'metadata.labels["gitops-hub.io/tenant"]: tenant "lonely" has no AppProject "lonely".'],
            ["tenant-complete", urn, 'metadata.labels["gitops-hub.io/tenant"]: tenant "lonely" has no vcluster chart in namespace "vcluster-lonely".'],
            ["tenant-complete", urn, 'metadata.labels["gitops-hub.io/tenant"]: tenant "lonely" has no NetworkPolicy in namespace "vcluster-lonely".'],
            ["tenant-complete", urn, 'metadata.labels["gitops-hub.io/tenant"]: tenant "lonely" has no Vault policy "tenant-lonely".'],
        ]);
    });

    it("answers Handshake with UNIMPLEMENTED (@pulumi/policy 1.21 serves no Handshake; the engine treats the RPC as optional)", async () => {
        const error = await call(client, "handshake", new analyzerPb.AnalyzerHandshakeRequest()).then(
            () => undefined,
            (e: grpc.ServiceError) => e,
        );
        expect(error?.code).to.equal(grpc.status.UNIMPLEMENTED);
    });
});
