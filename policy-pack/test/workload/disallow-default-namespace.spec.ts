import { expect } from "chai";

import { disallowDefaultNamespace as rule } from "../../catalog/workload/disallow-default-namespace";
import { context, itPassesCompliantWorkloads, POD_KIND_CASES, workload } from "./fixtures";

describe("disallow-default-namespace", () => {
    itPassesCompliantWorkloads(rule);

    for (const { kind } of POD_KIND_CASES) {
        it(`flags a ${kind} in namespace "default"`, () => {
            const manifest = workload(kind);
            manifest.metadata!.namespace = "default";
            expect(rule.check(manifest, context)).to.deep.equal([
                { path: "metadata.namespace", message: `${kind} "app" is in namespace "default"; using the default namespace is not allowed.` },
            ]);
        });
    }

    it("fails when metadata.namespace is absent or empty, because the provider's default namespace applies", () => {
        const absent = workload("Deployment");
        delete absent.metadata!.namespace;
        const empty = workload("Pod");
        empty.metadata!.namespace = "";
        const message = (kind: string) =>
            `${kind} "app" sets no metadata.namespace, so it would be created in the provider's default namespace; name its own namespace.`;
        expect(rule.check(absent, context)).to.deep.equal([{ path: "metadata.namespace", message: message("Deployment") }]);
        expect(rule.check(empty, context)).to.deep.equal([{ path: "metadata.namespace", message: message("Pod") }]);
    });

    it("ignores the pod template's own metadata (a template carries no namespace)", () => {
        const manifest = workload("Deployment", undefined, { namespace: "default", labels: { app: "app" } });
        expect(rule.check(manifest, context)).to.deep.equal([]);
    });

    it("passes namespaces that merely contain the word default", () => {
        const manifest = workload("Pod");
        manifest.metadata!.namespace = "default-team";
        expect(rule.check(manifest, context)).to.deep.equal([]);
    });
});
