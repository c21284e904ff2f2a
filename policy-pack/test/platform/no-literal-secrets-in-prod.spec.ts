import { expect } from "chai";
import { noLiteralSecretsInProd as rule } from "../../catalog/platform/no-literal-secrets-in-prod";
import type { PulumiResource } from "../../catalog/core/types";

const prod = { settings: {}, environment: "prod" };

function secret(props: Record<string, unknown>): PulumiResource {
    return { type: "kubernetes:core/v1:Secret", name: "repo-creds", props: { apiVersion: "v1", kind: "Secret", metadata: { name: "repo-creds", namespace: "argocd" }, ...props } };
}

describe("no-literal-secrets-in-prod", () => {
    it("passes a Secret without data in prod, and literal Secrets in dev", () => {
        expect(rule.check(secret({ type: "Opaque" }), prod)).to.deep.equal([]);
        expect(rule.check(secret({ data: {} }), prod)).to.deep.equal([]);
        expect(rule.check(secret({ stringData: { password: "x" } }), { settings: {}, environment: "dev" })).to.deep.equal([]);
    });

    it("fails for data in prod, naming keys but never values", () => {
        expect(rule.check(secret({ data: { username: "YWRtaW4=", password: "c2VjcmV0" } }), prod)).to.deep.equal([
            { path: "data", message: 'data sets "username", "password"; literal Secrets are not allowed in prod.' },
        ]);
    });

    it("fails for stringData in prod, also when values are secret placeholders", () => {
        const placeholder = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cr3t" };
        expect(rule.check(secret({ stringData: { token: placeholder } }), prod)).to.deep.equal([
            { path: "stringData", message: 'stringData sets "token"; literal Secrets are not allowed in prod.' },
        ]);
    });
});
