import { expect } from "chai";

import { restrictApparmorProfiles as rule } from "../../catalog/workload/restrict-apparmor-profiles";
import { context, expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads, POD_KIND_CASES, workload } from "./fixtures";

const ANNOTATION = "container.apparmor.security.beta.kubernetes.io/app";

describe("restrict-apparmor-profiles", () => {
    itPassesCompliantWorkloads(rule);

    it("passes runtime/default and localhost/<profile> annotations and unrelated annotations", () => {
        const manifest = workload("Pod", undefined, {
            annotations: {
                [ANNOTATION]: "runtime/default",
                "container.apparmor.security.beta.kubernetes.io/metrics": "localhost/k8s-metrics",
                "prometheus.io/scrape": "true",
            },
        });
        expect(rule.check(manifest, context)).to.deep.equal([]);
    });

    it("passes the appArmorProfile field with RuntimeDefault and Localhost", () => {
        expectPodViolations(
            rule,
            (pod) => {
                pod.securityContext.appArmorProfile = { type: "RuntimeDefault" };
                pod.containers[0].securityContext.appArmorProfile = { type: "Localhost", localhostProfile: "k8s-app" };
            },
            [],
        );
    });

    for (const { kind, metadataPath } of POD_KIND_CASES) {
        it(`flags an unconfined AppArmor annotation on the pod template (${kind})`, () => {
            const manifest = workload(kind, undefined, { annotations: { [ANNOTATION]: "unconfined" } });
            expect(rule.check(manifest, context)).to.deep.equal([
                {
                    path: `${metadataPath}.annotations["${ANNOTATION}"]`,
                    message: `Annotation ${ANNOTATION} is "unconfined"; it must be "runtime/default" or "localhost/<profile>".`,
                },
            ]);
        });
    }

    it("flags an annotation value that only looks like an allowed one", () => {
        const manifest = workload("Deployment", undefined, { annotations: { [ANNOTATION]: "runtime/default2", other: "localhost" } });
        expect(rule.check(manifest, context)).to.deep.equal([
            {
                path: `spec.template.metadata.annotations["${ANNOTATION}"]`,
                message: `Annotation ${ANNOTATION} is "runtime/default2"; it must be "runtime/default" or "localhost/<profile>".`,
            },
        ]);
    });

    itFlagsEveryKind(
        rule,
        "flags appArmorProfile.type Unconfined on a container",
        (pod) => (pod.containers[1].securityContext.appArmorProfile = { type: "Unconfined" }),
        (p) => [
            {
                path: `${p}.containers[1].securityContext.appArmorProfile.type`,
                message: 'container "metrics" sets securityContext.appArmorProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
        ],
    );

    it("flags appArmorProfile.type Unconfined at pod level and on init and ephemeral containers", () => {
        expectPodViolations(
            rule,
            (pod) => {
                pod.securityContext.appArmorProfile = { type: "Unconfined" };
                pod.initContainers[0].securityContext.appArmorProfile = { type: "Unconfined" };
                pod.ephemeralContainers[0].securityContext.appArmorProfile = { type: "unconfined" };
            },
            [
                {
                    path: "spec.securityContext.appArmorProfile.type",
                    message: 'The pod sets securityContext.appArmorProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
                },
                {
                    path: "spec.initContainers[0].securityContext.appArmorProfile.type",
                    message: 'init container "migrate" sets securityContext.appArmorProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
                },
                {
                    path: "spec.ephemeralContainers[0].securityContext.appArmorProfile.type",
                    message: 'ephemeral container "debug" sets securityContext.appArmorProfile.type to "unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
                },
            ],
        );
    });

    it("flags the annotation and the field together", () => {
        const manifest = workload(
            "Pod",
            (pod) => (pod.containers[0].securityContext.appArmorProfile = { type: "Unconfined" }),
            { annotations: { [ANNOTATION]: "unconfined" } },
        );
        expect(rule.check(manifest, context)).to.deep.equal([
            {
                path: `metadata.annotations["${ANNOTATION}"]`,
                message: `Annotation ${ANNOTATION} is "unconfined"; it must be "runtime/default" or "localhost/<profile>".`,
            },
            {
                path: "spec.containers[0].securityContext.appArmorProfile.type",
                message: 'container "app" sets securityContext.appArmorProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
        ]);
    });
});
