import { requirePodProbes as rule } from "../../catalog/workload/require-pod-probes";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("require-pod-probes", () => {
    itPassesCompliantWorkloads(rule);

    it("passes a container with only a startupProbe", () => {
        expectPodViolations(
            rule,
            (pod) => {
                delete pod.containers[0].readinessProbe;
                pod.containers[0].startupProbe = { exec: { command: ["true"] } };
            },
            [],
        );
    });

    it("does not require probes on init or ephemeral containers (as upstream)", () => {
        expectPodViolations(rule, (pod) => expectNoProbes(pod.initContainers[0], pod.ephemeralContainers[0]), []);
    });

    itFlagsEveryKind(
        rule,
        "fails when a container defines no probe",
        (pod) => delete pod.containers[1].livenessProbe,
        (p) => [
            {
                path: `${p}.containers[1]`,
                message: 'container "metrics" defines none of livenessProbe, readinessProbe, startupProbe; at least one is required.',
            },
        ],
    );

    it("fails when probes are null", () => {
        expectPodViolations(rule, (pod) => Object.assign(pod.containers[0], { readinessProbe: null, livenessProbe: null }), [
            { path: "spec.containers[0]", message: 'container "app" defines none of livenessProbe, readinessProbe, startupProbe; at least one is required.' },
        ]);
    });
});

function expectNoProbes(...containers: { livenessProbe?: unknown; readinessProbe?: unknown }[]): void {
    for (const container of containers) {
        delete container.livenessProbe;
        delete container.readinessProbe;
    }
}
