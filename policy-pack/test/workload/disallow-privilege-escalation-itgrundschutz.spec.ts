import { expect } from "chai";

import { disallowPrivilegeEscalationItgrundschutz as rule } from "../../catalog/workload/disallow-privilege-escalation-itgrundschutz";
import { context, expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads, workload as workloadWith } from "./fixtures";

describe("disallow-privilege-escalation-itgrundschutz", () => {
    it("cites the BSI requirement for unprivileged containers and the restricted profile", () => {
        expect(rule.framework).to.deep.equal({ bsi: ["SYS.1.6.A17", "APP.4.4.A4"], pss: "restricted" });
    });

    itPassesCompliantWorkloads(rule);

    itFlagsEveryKind(
        rule,
        "flags allowPrivilegeEscalation: true on a container",
        (pod) => (pod.containers[0].securityContext.allowPrivilegeEscalation = true),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.allowPrivilegeEscalation`,
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
        ],
    );

    it("fails when allowPrivilegeEscalation is absent (absent is not false)", () => {
        expectPodViolations(rule, (pod) => delete pod.containers[1].securityContext.allowPrivilegeEscalation, [
            {
                path: "spec.containers[1].securityContext.allowPrivilegeEscalation",
                message: 'container "metrics" must set securityContext.allowPrivilegeEscalation to false, but it is not set.',
            },
        ]);
    });

    it("fails when the container has no securityContext at all", () => {
        expectPodViolations(rule, (pod) => delete pod.containers[0].securityContext, [
            {
                path: "spec.containers[0].securityContext.allowPrivilegeEscalation",
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is not set.',
            },
        ]);
    });

    it("flags an init container", () => {
        expectPodViolations(rule, (pod) => (pod.initContainers[0].securityContext.allowPrivilegeEscalation = true), [
            {
                path: "spec.initContainers[0].securityContext.allowPrivilegeEscalation",
                message: 'init container "migrate" must set securityContext.allowPrivilegeEscalation to false, but it is true.',
            },
        ]);
    });

    it("flags an ephemeral container with the exact path inside a CronJob", () => {
        const manifest = workloadWith("CronJob", (pod) => (pod.ephemeralContainers[0].securityContext.allowPrivilegeEscalation = null));
        expect(rule.check(manifest, context)).to.deep.equal([
            {
                path: "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation",
                message: 'ephemeral container "debug" must set securityContext.allowPrivilegeEscalation to false, but it is null.',
            },
        ]);
    });

    it("fails when the value is the string \"false\" rather than the boolean", () => {
        expectPodViolations(rule, (pod) => (pod.containers[0].securityContext.allowPrivilegeEscalation = "false"), [
            {
                path: "spec.containers[0].securityContext.allowPrivilegeEscalation",
                message: 'container "app" must set securityContext.allowPrivilegeEscalation to false, but it is "false".',
            },
        ]);
    });

    it("flags every offending container, in list order", () => {
        expectPodViolations(
            rule,
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
    });

    it("flags an unnamed container by its index", () => {
        expectPodViolations(
            rule,
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
    });
});
