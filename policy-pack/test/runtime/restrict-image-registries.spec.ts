import { expect } from "chai";

import { restrictImageRegistries as rule } from "../../catalog/runtime/restrict-image-registries";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-image-registries.cases";
import { context, POD_KIND_CASES, workload, itCoversEveryPodKind } from "./fixtures";

describe("restrict-image-registries", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);

    for (const { kind, podPath } of POD_KIND_CASES) {
        it(`fails closed with one violation when no allow-list is configured (${kind})`, () => {
            expect(rule.check(workload(kind), { settings: {} })).to.deep.equal([
                {
                    path: podPath,
                    message: 'No image can be verified because settings.allowedRegistries is not set; configure the trusted registry prefixes, e.g. ["ghcr.io/acme/"].',
                },
            ]);
        });
    }

    it("fails closed when the allow-list is empty", () => {
        expect(rule.check(workload("Pod"), { settings: { allowedRegistries: [] } })).to.deep.equal([
            {
                path: "spec",
                message: 'No image can be verified because settings.allowedRegistries is []; configure the trusted registry prefixes, e.g. ["ghcr.io/acme/"].',
            },
        ]);
    });

    it("ignores kinds without a pod even without an allow-list", () => {
        expect(rule.check({ apiVersion: "v1", kind: "Service", metadata: { name: "app" } }, { settings: {} })).to.deep.equal([]);
    });

    it("renders the allow-list as Kyverno wildcard alternatives", () => {
        const [policyRule] = rule.kyverno!(context);
        expect(policyRule).to.deep.equal({
            name: "validate-registries",
            match: { any: [{ resources: { kinds: ["Pod"] } }] },
            validate: {
                message: "Unknown image registry: images must come from ghcr.io/acme/, registry.k8s.io/.",
                pattern: {
                    spec: {
                        "=(ephemeralContainers)": [{ image: "ghcr.io/acme/* | registry.k8s.io/*" }],
                        "=(initContainers)": [{ image: "ghcr.io/acme/* | registry.k8s.io/*" }],
                        containers: [{ image: "ghcr.io/acme/* | registry.k8s.io/*" }],
                    },
                },
            },
        });
    });

    it("fails to render its ClusterPolicy without an allow-list, saying how to fix it", () => {
        expect(() => rule.kyverno!({ settings: {} })).to.throw(
            'restrict-image-registries cannot render its ClusterPolicy: settings.allowedRegistries is not set; set it to the trusted registry prefixes, e.g. ["ghcr.io/acme/"].',
        );
    });
});
