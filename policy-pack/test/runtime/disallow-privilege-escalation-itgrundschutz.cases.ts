import { disallowPrivilegeEscalationItgrundschutz } from "../../catalog/runtime/disallow-privilege-escalation-itgrundschutz";
import { everyContainer, onWindows, workload, workloadCases } from "./fixtures";

export const cases = workloadCases(disallowPrivilegeEscalationItgrundschutz, (c) => {
    c.compliant();
    c.everyKind(
        "flags allowPrivilegeEscalation: true on a container",
        (pod) => (pod.containers[0].securityContext.allowPrivilegeEscalation = true),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.allowPrivilegeEscalation`,
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
        ],
    );
    c.pod(
        "fails when allowPrivilegeEscalation is absent (absent is not false)",
        (pod) => delete pod.containers[1].securityContext.allowPrivilegeEscalation,
        [
            {
                path: "spec.containers[1].securityContext.allowPrivilegeEscalation",
                message: 'container "metrics" must set securityContext.allowPrivilegeEscalation to false, but it is not set.',
            },
        ],
    );
    c.pod(
        "fails when the container has no securityContext at all",
        (pod) => delete pod.containers[0].securityContext,
        [
            {
                path: "spec.containers[0].securityContext.allowPrivilegeEscalation",
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is not set.',
            },
        ],
    );
    c.pod(
        "flags an init container",
        (pod) => (pod.initContainers[0].securityContext.allowPrivilegeEscalation = true),
        [
            {
                path: "spec.initContainers[0].securityContext.allowPrivilegeEscalation",
                message: 'init container "migrate" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
        ],
    );
    c.add(
        "flags an ephemeral container with the exact path inside a CronJob",
        workload("CronJob", (pod) => (pod.ephemeralContainers[0].securityContext.allowPrivilegeEscalation = null)),
        [
            {
                path: "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation",
                message: 'ephemeral container "debug" must set securityContext.allowPrivilegeEscalation to false, but it is null.',
            },
        ],
    );
    c.pod(
        "fails when the value is the string \"false\" rather than the boolean",
        (pod) => (pod.containers[0].securityContext.allowPrivilegeEscalation = "false"),
        [
            {
                path: "spec.containers[0].securityContext.allowPrivilegeEscalation",
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is "false".',
            },
        ],
    );
    c.pod(
        "flags every offending container, in list order",
        (pod) => {
            pod.ephemeralContainers[0].securityContext.allowPrivilegeEscalation = true;
            pod.initContainers[0].securityContext.allowPrivilegeEscalation = true;
            pod.containers[1].securityContext.allowPrivilegeEscalation = true;
        },
        [
            {
                path: "spec.containers[1].securityContext.allowPrivilegeEscalation",
                message: 'container "metrics" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
            {
                path: "spec.initContainers[0].securityContext.allowPrivilegeEscalation",
                message: 'init container "migrate" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation",
                message: 'ephemeral container "debug" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
        ],
    );
    c.pod(
        "flags an unnamed container by its index",
        (pod) => {
            delete pod.containers[1].name;
            pod.containers[1].securityContext.allowPrivilegeEscalation = true;
        },
        [
            {
                path: "spec.containers[1].securityContext.allowPrivilegeEscalation",
                message: "container #1 must set securityContext.allowPrivilegeEscalation to false, but it is true.",
            },
        ],
    );
    // PSS restricted, Kubernetes 1.25+: Windows pods are exempt from this check (the field has no effect on Windows).
    c.everyKind(
        "passes a Windows pod (spec.os.name: windows) that sets no allowPrivilegeEscalation",
        (pod) => {
            onWindows(pod);
            everyContainer(pod, (container) => delete container.securityContext.allowPrivilegeEscalation);
        },
        () => [],
    );
    c.pod(
        "fails when a Linux pod (spec.os.name: linux) sets no allowPrivilegeEscalation",
        (pod) => {
            pod.os = { name: "linux" };
            delete pod.containers[0].securityContext.allowPrivilegeEscalation;
        },
        [
            {
                path: "spec.containers[0].securityContext.allowPrivilegeEscalation",
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is not set.',
            },
        ],
    );
});
