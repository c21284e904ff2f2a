import { expect } from "chai";
import fc from "fast-check";

import { podRules } from "../../catalog";
import { context, POD_KIND_CASES, workload } from "./fixtures";

// Manifests reach the checks from Helm charts and hand-written code, so a check must be total:
// whatever odd value sits in a field, it reports (or not) but never throws, and every path it
// reports lies inside the object it was given.

const FIELDS: ((pod: any, value: unknown) => void)[] = [
    (pod, v) => (pod.containers = v),
    (pod, v) => (pod.containers[0] = v),
    (pod, v) => (pod.containers[0].securityContext = v),
    (pod, v) => (pod.containers[0].securityContext.capabilities = v),
    (pod, v) => (pod.containers[0].securityContext.capabilities.drop = v),
    (pod, v) => (pod.containers[0].securityContext.seccompProfile = v),
    (pod, v) => (pod.containers[0].ports = v),
    (pod, v) => (pod.containers[0].image = v),
    (pod, v) => (pod.containers[0].resources = v),
    (pod, v) => (pod.initContainers = v),
    (pod, v) => (pod.ephemeralContainers[0].securityContext = v),
    (pod, v) => (pod.securityContext = v),
    (pod, v) => (pod.securityContext.sysctls = v),
    (pod, v) => (pod.volumes = v),
    (pod, v) => (pod.volumes[0] = v),
    (pod, v) => (pod.hostNetwork = v),
];

describe("workload rules on arbitrary field values", () => {
    it("never throw and report paths inside the pod or the object's metadata", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...POD_KIND_CASES),
                fc.integer({ min: 0, max: FIELDS.length - 1 }),
                fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withSparseArray: true }),
                ({ kind, podPath }, field, value) => {
                    const manifest = workload(kind, (pod) => FIELDS[field](pod, value));
                    for (const rule of podRules) {
                        for (const violation of rule.check(manifest, context)) {
                            expect(violation.path === "metadata.namespace" || violation.path.startsWith(podPath), `${rule.id}: ${violation.path}`).to.equal(true);
                            expect(violation.message).to.be.a("string").and.match(/\.$/);
                        }
                    }
                },
            ),
            { numRuns: 500 },
        );
    });
});
