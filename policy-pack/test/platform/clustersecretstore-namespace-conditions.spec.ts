import { expect } from "chai";
import { clustersecretstoreNamespaceConditions as rule } from "../../catalog/platform/clustersecretstore-namespace-conditions";
import type { PulumiResource } from "../../catalog/core/types";

const context = { settings: {} };

function store(conditions: unknown): PulumiResource {
    return {
        type: "kubernetes:external-secrets.io/v1:ClusterSecretStore",
        name: "hub-platform-store",
        props: {
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterSecretStore",
            metadata: { name: "platform-vault" },
            spec: { provider: { vault: { server: "http://vault.vault:8200", path: "platform", version: "v2" } }, ...(conditions === undefined ? {} : { conditions }) },
        },
    };
}

describe("clustersecretstore-namespace-conditions", () => {
    it("passes conditions by selector, names and anchored regexes", () => {
        expect(
            rule.check(
                store([
                    { namespaceSelector: { matchLabels: { "gitops-hub.io/platform": "true" } } },
                    { namespaces: ["argocd"] },
                    { namespaceRegexes: ["^vcluster-team-a$"] },
                ]),
                context,
            ),
        ).to.deep.equal([]);
    });

    it("fails without conditions", () => {
        expect(rule.check(store(undefined), context)).to.deep.equal([
            { path: "spec.conditions", message: "spec.conditions is undefined; without conditions every namespace can use this store." },
        ]);
        expect(rule.check(store([]), context)).to.deep.equal([
            { path: "spec.conditions", message: "spec.conditions is []; without conditions every namespace can use this store." },
        ]);
    });

    it("fails for a condition that restricts nothing", () => {
        expect(rule.check(store([{ namespaces: [] }]), context)).to.deep.equal([
            { path: "spec.conditions[0]", message: 'spec.conditions[0] is {"namespaces":[]}; it must restrict namespaces with namespaces, a namespaceSelector or namespaceRegexes.' },
        ]);
    });

    it("fails for an empty selector next to a restriction", () => {
        expect(rule.check(store([{ namespaces: ["argocd"], namespaceSelector: {} }]), context)).to.deep.equal([
            { path: "spec.conditions[0].namespaceSelector", message: "spec.conditions[0].namespaceSelector is {}; an empty selector selects every namespace." },
        ]);
    });

    it("fails for a regex matching every namespace", () => {
        expect(rule.check(store([{ namespaceRegexes: ["^vcluster-.*$", ".*"] }]), context)).to.deep.equal([
            { path: "spec.conditions[0].namespaceRegexes[1]", message: 'spec.conditions[0].namespaceRegexes[1] is ".*"; it matches every namespace.' },
        ]);
    });
});
