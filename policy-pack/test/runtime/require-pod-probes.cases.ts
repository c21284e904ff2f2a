import { requirePodProbes } from "../../catalog/runtime/require-pod-probes";
import { workloadCases } from "./fixtures";

function expectNoProbes(...containers: { livenessProbe?: unknown; readinessProbe?: unknown }[]): void {
    for (const container of containers) {
        delete container.livenessProbe;
        delete container.readinessProbe;
    }
}

export const cases = workloadCases(requirePodProbes, (c) => {
    c.compliant();
    c.pod(
        "passes a container with only a startupProbe",
        (pod) => {
            delete pod.containers[0].readinessProbe;
            pod.containers[0].startupProbe = { exec: { command: ["true"] } };
        },
        [],
    );
    c.pod(
        "does not require probes on init or ephemeral containers (as upstream)",
        (pod) => expectNoProbes(pod.initContainers[0], pod.ephemeralContainers[0]),
        [],
    );
    c.everyKind(
        "fails when a container defines no probe",
        (pod) => delete pod.containers[1].livenessProbe,
        (p) => [
            {
                path: `${p}.containers[1]`,
                message: 'container "metrics" defines none of livenessProbe, readinessProbe, startupProbe; at least one is required.',
            },
        ],
    );
    c.pod(
        "fails when probes are null",
        (pod) => Object.assign(pod.containers[0], { readinessProbe: null, livenessProbe: null }),
        [
            { path: "spec.containers[0]", message: 'container "app" defines none of livenessProbe, readinessProbe, startupProbe; at least one is required.' },
        ],
    );
});
