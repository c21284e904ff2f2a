// The pure parts of `plan --render`, without helm: the API server's checks on one object, the
// translation of a CRD's structural schema for ajv, Helm's schema-error text, and secrets after
// rendering. One compliant object, then one mutation per case.
import { expect } from "chai";
import { apiServerIssues } from "../scripts/plan/render/api-checks";
import { CrdIndex, UNKNOWN_SENTINEL, toJsonSchema } from "../scripts/plan/render/crds";
import { parseSchemaFailure } from "../scripts/plan/render/helm";
import { markSecrets, redact, secretStrings } from "../scripts/plan/render/secrets";
import { SecretValue } from "../scripts/recorder";

function statefulSet(): Record<string, any> {
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "vault", namespace: "vault", labels: { "app.kubernetes.io/name": "vault" }, annotations: { "example.com/owner": "platform" } },
        spec: {
            selector: { matchLabels: { app: "vault" } },
            volumeClaimTemplates: [{ metadata: { name: "data" } }],
            template: {
                metadata: { labels: { app: "vault" } },
                spec: {
                    volumes: [{ name: "config", configMap: { name: "vault-config" } }, { name: "home", emptyDir: {} }],
                    initContainers: [{ name: "init", image: "x", volumeMounts: [{ name: "config", mountPath: "/config" }] }],
                    containers: [{
                        name: "vault", image: "x",
                        ports: [{ name: "http", containerPort: 8200 }, { name: "https-internal", containerPort: 8201 }],
                        volumeMounts: [{ name: "data", mountPath: "/vault/data" }, { name: "config", mountPath: "/vault/config" }, { name: "home", mountPath: "/home/vault" }],
                        env: [{ name: "A", value: "1" }],
                    }],
                },
            },
        },
    };
}

const pod = (o: Record<string, any>) => o.spec.template.spec;

describe("plan --render: the API server's checks on one object", () => {
    it("passes a consistent StatefulSet (claim templates count as volumes)", () => {
        expect(apiServerIssues(statefulSet())).to.deep.equal([]);
    });

    it("fails when a volume the template already defines is added again", () => {
        const o = statefulSet();
        pod(o).volumes.push({ name: "home", emptyDir: {} });
        pod(o).containers[0].volumeMounts.push({ name: "home", mountPath: "/home/vault" });
        expect(apiServerIssues(o)).to.deep.equal([
            { level: "error", path: "spec.template.spec.volumes[2].name", message: "Duplicate value: \"home\"" },
            { level: "error", path: "spec.template.spec.containers[0].volumeMounts[3].mountPath", message: "Invalid value: \"/home/vault\": must be unique" },
        ]);
    });

    it("fails when a mount names no volume, a container name repeats, or a port name is not an IANA service name", () => {
        const o = statefulSet();
        pod(o).containers[0].volumeMounts.push({ name: "cache", mountPath: "/cache" });
        pod(o).containers.push({ name: "init", image: "x", ports: [{ name: "metrics-endpoint-1", containerPort: 9090 }, { name: "9090", containerPort: 9091 }] });
        expect(apiServerIssues(o)).to.deep.equal([
            { level: "error", path: "spec.template.spec.containers[0].volumeMounts[3].name", message: "Not found: \"cache\"" },
            { level: "error", path: "spec.template.spec.containers[1].name", message: "Duplicate value: \"init\"" },
            { level: "error", path: "spec.template.spec.containers[1].ports[0].name", message: "Invalid value: \"metrics-endpoint-1\": must be no more than 15 characters" },
            { level: "error", path: "spec.template.spec.containers[1].ports[1].name", message: "Invalid value: \"9090\": must contain at least one letter (a-z)" },
        ]);
    });

    it("fails on a second host port binding and warns on a repeated container port and env name, as the API server does", () => {
        const o = statefulSet();
        pod(o).containers[0].ports.push({ containerPort: 8200 }, { containerPort: 53, hostPort: 53, protocol: "UDP" });
        pod(o).containers[0].env.push({ name: "A", value: "2" });
        pod(o).containers.push({ name: "dns", image: "x", ports: [{ containerPort: 5353, hostPort: 53, protocol: "UDP" }] });
        expect(apiServerIssues(o)).to.deep.equal([
            { level: "warning", path: "spec.template.spec.containers[0].ports[2]", message: "duplicate port definition with spec.template.spec.containers[0].ports[0]" },
            { level: "warning", path: "spec.template.spec.containers[0].env[1]", message: "hides previous definition of \"A\", which may be dropped when using apply" },
            { level: "error", path: "spec.template.spec.containers[1].ports[0].hostPort", message: "Duplicate value: \"53/UDP\"" },
        ]);
    });

    it("fails when the selector does not match the template's labels", () => {
        const o = statefulSet();
        o.spec.selector.matchLabels.app = "vault-server";
        expect(apiServerIssues(o)).to.deep.equal([
            { level: "error", path: "spec.template.metadata.labels", message: "Invalid value: {\"app\":\"vault\"}: `selector` does not match template `labels`" },
        ]);
    });

    it("fails on names, namespaces, label keys and values and annotation keys Kubernetes refuses", () => {
        const o = statefulSet();
        o.metadata = { name: "Vault_1", namespace: "Vault", labels: { "-bad": "ok", good: "no spaces allowed" }, annotations: { "example.com/": "x" } };
        expect(apiServerIssues(o).map((i) => `${i.path}: ${i.message}`)).to.deep.equal([
            "metadata.name: Invalid value: \"Vault_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            "metadata.namespace: Invalid value: \"Vault\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "metadata.labels[\"good\"]: Invalid value: \"no spaces allowed\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "metadata.annotations: Invalid value: \"example.com/\": name part must be non-empty",
        ]);
    });

    it("names per kind: a Service needs a DNS-1035 label, RBAC names may hold ':', a CRD is <plural>.<group>", () => {
        const service = { apiVersion: "v1", kind: "Service", metadata: { name: "9vault" }, spec: { ports: [{ name: "http", port: 80 }, { port: 443 }, { name: "http", port: 80 }] } };
        expect(apiServerIssues(service).map((i) => `${i.path}: ${i.message}`)).to.deep.equal([
            "metadata.name: Invalid value: \"9vault\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "spec.ports[1].name: Required value",
            "spec.ports[2].name: Duplicate value: \"http\"",
            "spec.ports[2]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}",
        ]);
        expect(apiServerIssues({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "kyverno:migrate-resources" } })).to.deep.equal([]);
        expect(apiServerIssues({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "a/b" } })).to.deep.equal([
            { level: "error", path: "metadata.name", message: "Invalid value: \"a/b\": may not contain '/' or '%'" },
        ]);
        const crd = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widget.demo.example.com" }, spec: { group: "demo.example.com", names: { plural: "widgets", kind: "Widget" } } };
        expect(apiServerIssues(crd)).to.deep.equal([
            { level: "error", path: "metadata.name", message: "Invalid value: \"widget.demo.example.com\": must be spec.names.plural+\".\"+spec.group (\"widgets.demo.example.com\")" },
        ]);
    });
});

describe("plan --render: CRD structural schemas for ajv", () => {
    it("prunes what an object does not declare, keeps what x-kubernetes-preserve-unknown-fields keeps, and never prunes inside anyOf/oneOf", () => {
        expect(toJsonSchema({
            type: "object",
            required: ["a", "b"],
            properties: {
                a: { type: "string" },
                b: { type: "integer", default: 1 },
                free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                map: { type: "object", additionalProperties: { type: "string" } },
                empty: { type: "object" },
                port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
                maybe: { type: "string", nullable: true, enum: ["x"] },
                set: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
                pod: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } },
            },
            oneOf: [{ required: ["a"], properties: { a: { type: "string" } } }],
        })).to.deep.equal({
            type: "object",
            // b has a default: the server fills it before it validates.
            required: ["a"],
            properties: {
                a: { type: "string" },
                b: { type: "integer" },
                free: { type: "object" },
                map: { type: "object", additionalProperties: { type: "string" } },
                empty: { type: "object", additionalProperties: false },
                port: { anyOf: [{ type: "integer" }, { type: "string" }] },
                maybe: { type: ["string", "null"], enum: ["x", null] },
                set: { type: "array", items: { type: "string" }, uniqueItems: true },
                pod: { type: "object", properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec: { type: "object" } }, additionalProperties: false },
            },
            additionalProperties: false,
            oneOf: [{ required: ["a"], properties: { a: { type: "string" } } }],
        });
    });

    it("does not report a schema error on a value unknown until deployment, but still reports unknown fields", () => {
        const index = new CrdIndex();
        index.add({
            apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.demo.example.com" },
            spec: { group: "demo.example.com", scope: "Cluster", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1", served: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } } }] },
        }, "demo-chart");
        expect(index.scopes()).to.deep.equal(new Map([["demo.example.com/Widget", false]]));
        const result = index.validate({ apiVersion: "demo.example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: UNKNOWN_SENTINEL, colour: "red" }, status: {} });
        expect(result).to.deep.include({ status: "validated", invalid: [], unknownFields: ["status", "spec.colour"], celRules: 0 });
    });
});

describe("plan --render: Helm's values-schema refusal as data", () => {
    it("reads each refusal with its chart (subcharts by name) and pointer", () => {
        const stderr = [
            "Error: values don't meet the specifications of the schema(s) in the following chart(s):",
            "cert-manager:",
            "- at '/cainjector': additional properties 'podSecurityContext' not allowed",
            "redis-ha:",
            "- at '': missing property 'image'",
        ].join("\n");
        expect(parseSchemaFailure(stderr)).to.deep.equal([
            { chart: "cert-manager", at: "/cainjector", message: "additional properties 'podSecurityContext' not allowed" },
            { chart: "redis-ha", at: "", message: "missing property 'image'" },
        ]);
        expect(parseSchemaFailure("Error: template: demo/templates/x.yaml:3:4: bad")).to.deep.equal([]);
    });
});

describe("plan --render: secrets after rendering", () => {
    it("marks every rendered string that carries a secret value (or its base64) and redacts messages", () => {
        const secrets = secretStrings({ server: { token: new SecretValue("hvs.rendered-secret") }, plain: "not-secret", short: new SecretValue("abc") });
        expect(secrets).to.deep.equal(["hvs.rendered-secret", Buffer.from("hvs.rendered-secret").toString("base64")]);
        const marked = markSecrets({ env: [{ name: "TOKEN", value: "hvs.rendered-secret" }, { name: "B64", value: Buffer.from("hvs.rendered-secret").toString("base64") }, { name: "X", value: "plain" }] }, secrets) as { env: { value: unknown }[] };
        expect(marked.env.map((e) => e.value instanceof SecretValue)).to.deep.equal([true, true, false]);
        expect(redact("Invalid value: \"hvs.rendered-secret\"", secrets)).to.equal("Invalid value: \"[secret]\"");
    });
});
