import { expect } from "chai";
import type { PulumiResource } from "../../catalog/core/types";
import { parseVaultPolicy } from "../../catalog/platform/vault-hcl";
import { vaultTenantPolicyScoped as rule } from "../../catalog/platform/vault-tenant-policy-scoped";

const context = { settings: {} };

const compliant = `
# The tenant's own KV v2 space.
path "tenants/team-a/data/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "tenants/team-a/metadata/*" { capabilities = ["read", "list", "delete"] }
`;

function policy(text: unknown, name = "tenant-team-a"): PulumiResource {
    return { type: "vault:index/policy:Policy", name: `${name}-policy`, props: { name, policy: text } };
}

describe("vault-tenant-policy-scoped", () => {
    it("passes a policy limited to the tenant's data and metadata", () => {
        expect(rule.check(policy(compliant), context)).to.deep.equal([]);
    });

    it("ignores policies that are not tenant policies", () => {
        expect(rule.check(policy('path "sys/*" { capabilities = ["sudo"] }', "platform-admin"), context)).to.deep.equal([]);
    });

    it("passes the JSON form of a compliant policy", () => {
        const json = JSON.stringify({ path: { "tenants/team-a/data/app/*": { capabilities: ["read"] } } });
        expect(rule.check(policy(json), context)).to.deep.equal([]);
    });

    it("fails for a path of another tenant", () => {
        expect(rule.check(policy(`${compliant}\npath "tenants/team-b/data/*" { capabilities = ["read"] }`), context)).to.deep.equal([
            {
                path: "policy",
                message: 'path "tenants/team-b/data/*" (line 9) is outside tenants/team-a/data/ and tenants/team-a/metadata/; a tenant policy may only grant the tenant\'s own secrets.',
            },
        ]);
    });

    it("fails for a prefix of the tenant's name (team-a vs team-ab)", () => {
        expect(rule.check(policy('path "tenants/team-ab/data/*" { capabilities = ["read"] }'), context)).to.deep.equal([
            {
                path: "policy",
                message: 'path "tenants/team-ab/data/*" (line 1) is outside tenants/team-a/data/ and tenants/team-a/metadata/; a tenant policy may only grant the tenant\'s own secrets.',
            },
        ]);
    });

    it("fails for a glob over the whole mount", () => {
        expect(rule.check(policy('path "tenants/team-a/*" { capabilities = ["read"] }'), context)).to.deep.equal([
            {
                path: "policy",
                message: 'path "tenants/team-a/*" (line 1) is outside tenants/team-a/data/ and tenants/team-a/metadata/; a tenant policy may only grant the tenant\'s own secrets.',
            },
        ]);
    });

    it("fails for sudo, also through the legacy policy = \"sudo\" form", () => {
        const text = 'path "tenants/team-a/data/*" { capabilities = ["read", "sudo"] }\npath "tenants/team-a/metadata/*" {\n  policy = "sudo"\n}';
        expect(rule.check(policy(text), context)).to.deep.equal([
            { path: "policy", message: 'path "tenants/team-a/data/*" (line 1) grants "sudo"; tenant policies may not.' },
            { path: "policy", message: 'path "tenants/team-a/metadata/*" (line 2) grants "sudo"; tenant policies may not.' },
        ]);
    });

    it("is not fooled by a commented-out or quoted path", () => {
        const text = `// path "tenants/team-a/data/*" { capabilities = ["read"] }
/* path "tenants/team-a/data/x" {} */
path "sys/\\"quoted\\"" { # trailing comment with path "tenants/team-a/data/*"
  capabilities = ["read"]
}`;
        expect(rule.check(policy(text), context)).to.deep.equal([
            {
                path: "policy",
                message: 'path "sys/\\"quoted\\"" (line 3) is outside tenants/team-a/data/ and tenants/team-a/metadata/; a tenant policy may only grant the tenant\'s own secrets.',
            },
        ]);
    });

    it("fails for a construct other than path blocks", () => {
        expect(rule.check(policy(`${compliant}\nname = "x"`), context)).to.deep.equal([
            { path: "policy", message: 'policy of tenant-team-a contains "name ="; only path blocks are allowed.' },
        ]);
    });

    it("fails when the policy cannot be parsed", () => {
        expect(rule.check(policy('path "tenants/team-a/data/*" { capabilities = ["read"]'), context)).to.deep.equal([
            { path: "policy", message: 'policy of tenant-team-a cannot be parsed: missing closing "}".' },
        ]);
    });

    it("fails when the policy is not text", () => {
        expect(rule.check(policy(undefined), context)).to.deep.equal([
            { path: "policy", message: "policy is undefined; the policy document of tenant-team-a must be HCL or JSON text." },
        ]);
    });

    it("parses heredocs, nested blocks and lists with trailing commas", () => {
        const text = `path "tenants/team-a/data/app" {
  capabilities = [
    "create",
    "update",
  ]
  allowed_parameters = {
    "ttl" = []
  }
  description = <<EOT
any "text" { here
EOT
}
path "tenants/team-a/metadata/app" { capabilities = ["list"] }`;
        expect(parseVaultPolicy(text)).to.deep.equal({
            paths: [
                { path: "tenants/team-a/data/app", capabilities: ["create", "update"], line: 1 },
                { path: "tenants/team-a/metadata/app", capabilities: ["list"], line: 13 },
            ],
            unexpected: [],
        });
    });
});
