import { disallowHostProbes } from "../../catalog/runtime/disallow-host-probes";
import { workloadCases } from "./fixtures";

const hostMessage = (who: string, field: string, host: string) =>
    `${who} sets ${field} to "${host}"; probes and lifecycle handlers must not name a host.`;

export const cases = workloadCases(disallowHostProbes, (c) => {
    c.compliant();
    c.pod(
        "passes probes and lifecycle handlers without a host, and an empty host (the pod IP)",
        (pod) => {
            pod.containers[0].readinessProbe.httpGet.host = "";
            pod.containers[0].lifecycle = { postStart: { exec: { command: ["true"] } }, preStop: { httpGet: { path: "/drain", port: 8080 } } };
            pod.containers[1].startupProbe = { grpc: { port: 9100 } };
        },
        [],
    );
    c.everyKind(
        "fails when a readiness probe's httpGet names a host",
        (pod) => (pod.containers[0].readinessProbe.httpGet.host = "169.254.169.254"),
        (p) => [
            { path: `${p}.containers[0].readinessProbe.httpGet.host`, message: hostMessage('container "app"', "readinessProbe.httpGet.host", "169.254.169.254") },
        ],
    );
    c.pod(
        "fails when liveness and startup probes' tcpSocket name a host, on every kind of container",
        (pod) => {
            pod.containers[1].livenessProbe.tcpSocket.host = "10.0.0.1";
            pod.initContainers[0].startupProbe = { tcpSocket: { port: 5432, host: "db.internal" } };
            pod.ephemeralContainers[0].livenessProbe = { httpGet: { path: "/", port: 80, host: "localhost" } };
        },
        [
            { path: "spec.containers[1].livenessProbe.tcpSocket.host", message: hostMessage('container "metrics"', "livenessProbe.tcpSocket.host", "10.0.0.1") },
            { path: "spec.initContainers[0].startupProbe.tcpSocket.host", message: hostMessage('init container "migrate"', "startupProbe.tcpSocket.host", "db.internal") },
            { path: "spec.ephemeralContainers[0].livenessProbe.httpGet.host", message: hostMessage('ephemeral container "debug"', "livenessProbe.httpGet.host", "localhost") },
        ],
    );
    c.everyKind(
        "fails when postStart and preStop handlers name a host",
        (pod) =>
            (pod.containers[0].lifecycle = {
                postStart: { httpGet: { path: "/hook", port: 80, host: "node.internal" } },
                preStop: { tcpSocket: { port: 22, host: "10.0.0.2" } },
            }),
        (p) => [
            { path: `${p}.containers[0].lifecycle.postStart.httpGet.host`, message: hostMessage('container "app"', "lifecycle.postStart.httpGet.host", "node.internal") },
            { path: `${p}.containers[0].lifecycle.preStop.tcpSocket.host`, message: hostMessage('container "app"', "lifecycle.preStop.tcpSocket.host", "10.0.0.2") },
        ],
    );
});
