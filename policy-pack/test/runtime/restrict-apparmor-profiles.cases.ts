import { restrictApparmorProfiles } from "../../catalog/runtime/restrict-apparmor-profiles";
import { POD_KIND_CASES, workload, workloadCases } from "./fixtures";

export const ANNOTATION = "container.apparmor.security.beta.kubernetes.io/app";

export const cases = workloadCases(restrictApparmorProfiles, (c) => {
    c.compliant();
    c.add(
        "passes runtime/default and localhost/<profile> annotations and unrelated annotations",
        workload("Pod", undefined, {
            annotations: {
                [ANNOTATION]: "runtime/default",
                "container.apparmor.security.beta.kubernetes.io/metrics": "localhost/k8s-metrics",
                "prometheus.io/scrape": "true",
            },
        }),
        [],
    );
    c.pod(
        "passes the appArmorProfile field with RuntimeDefault and Localhost",
        (pod) => {
            pod.securityContext.appArmorProfile = { type: "RuntimeDefault" };
            pod.containers[0].securityContext.appArmorProfile = { type: "Localhost", localhostProfile: "k8s-app" };
        },
        [],
    );
    c.everyKind(
        "flags appArmorProfile.type Unconfined on a container",
        (pod) => (pod.containers[1].securityContext.appArmorProfile = { type: "Unconfined" }),
        (p) => [
            {
                path: `${p}.containers[1].securityContext.appArmorProfile.type`,
                message: 'container "metrics" sets securityContext.appArmorProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
        ],
    );
    c.pod(
        "flags appArmorProfile.type Unconfined at pod level and on init and ephemeral containers",
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
    c.add(
        "flags the annotation and the field together",
        workload(
            "Pod",
            (pod) => (pod.containers[0].securityContext.appArmorProfile = { type: "Unconfined" }),
            { annotations: { [ANNOTATION]: "unconfined" } },
        ),
        [
            {
                path: `metadata.annotations["${ANNOTATION}"]`,
                message: `Annotation ${ANNOTATION} is "unconfined"; it must be "runtime/default" or "localhost/<profile>".`,
            },
            {
                path: "spec.containers[0].securityContext.appArmorProfile.type",
                message: 'container "app" sets securityContext.appArmorProfile.type to "Unconfined"; it must be unset, "RuntimeDefault" or "Localhost".',
            },
        ],
    );
    for (const { kind, metadataPath } of POD_KIND_CASES) {
        c.add(`flags an unconfined AppArmor annotation on the pod template (${kind})`, workload(kind, undefined, { annotations: { [ANNOTATION]: "unconfined" } }), [
            {
                path: `${metadataPath}.annotations["${ANNOTATION}"]`,
                message: `Annotation ${ANNOTATION} is "unconfined"; it must be "runtime/default" or "localhost/<profile>".`,
            },
        ]);
    }
    c.add(
        "flags an annotation value that only looks like an allowed one",
        workload("Deployment", undefined, { annotations: { [ANNOTATION]: "runtime/default2", other: "localhost" } }),
        [
            {
                path: `spec.template.metadata.annotations["${ANNOTATION}"]`,
                message: `Annotation ${ANNOTATION} is "runtime/default2"; it must be "runtime/default" or "localhost/<profile>".`,
            },
        ],
    );
});
