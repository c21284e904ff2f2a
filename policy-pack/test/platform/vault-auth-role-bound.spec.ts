import { expect } from "chai";
import type { PulumiResource } from "../../catalog/core/types";
import { vaultAuthRoleBound as rule } from "../../catalog/platform/vault-auth-role-bound";

const context = { settings: {} };

function role(props: Record<string, unknown>): PulumiResource {
    return {
        type: "vault:kubernetes/authBackendRole:AuthBackendRole",
        name: "tenant-team-a-role",
        props: {
            backend: "kubernetes",
            roleName: "tenant-team-a",
            boundServiceAccountNames: ["external-secrets"],
            boundServiceAccountNamespaces: ["vcluster-team-a"],
            audience: "vault",
            tokenPolicies: ["tenant-team-a"],
            ...props,
        },
    };
}

describe("vault-auth-role-bound", () => {
    it("passes a role bound to one service account, one namespace and an audience", () => {
        expect(rule.check(role({}), context)).to.deep.equal([]);
    });

    it("fails when a bound list is empty or missing", () => {
        expect(rule.check(role({ boundServiceAccountNames: [], boundServiceAccountNamespaces: undefined }), context)).to.deep.equal([
            { path: "boundServiceAccountNames", message: "boundServiceAccountNames is []; it must list at least one explicit value." },
            { path: "boundServiceAccountNamespaces", message: "boundServiceAccountNamespaces is undefined; it must list at least one explicit value." },
        ]);
    });

    it("fails for wildcards, also as globs", () => {
        expect(rule.check(role({ boundServiceAccountNames: ["*"], boundServiceAccountNamespaces: ["vcluster-*"] }), context)).to.deep.equal([
            { path: "boundServiceAccountNames[0]", message: 'boundServiceAccountNames[0] is "*"; wildcards and empty values bind the role to any service account.' },
            { path: "boundServiceAccountNamespaces[0]", message: 'boundServiceAccountNamespaces[0] is "vcluster-*"; wildcards and empty values bind the role to any service account.' },
        ]);
    });

    it("fails without an audience", () => {
        expect(rule.check(role({ audience: undefined }), context)).to.deep.equal([
            { path: "audience", message: "audience is undefined; a role must require the audience its tokens are issued for." },
        ]);
        expect(rule.check(role({ audience: " " }), context)).to.deep.equal([
            { path: "audience", message: 'audience is " "; a role must require the audience its tokens are issued for.' },
        ]);
    });
});
