import { disallowHostPath } from "../../catalog/runtime/disallow-host-path";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowHostPath, (c) => {
    c.compliant();
    c.pod("passes a pod without volumes", (pod) => delete pod.volumes, []);
    c.pod("passes a pod with an empty volume list", (pod) => (pod.volumes = []), []);
    c.everyKind(
        "flags a hostPath volume",
        (pod) => pod.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock", type: "Socket" } }),
        (p) => [
            {
                path: `${p}.volumes[2].hostPath`,
                message: 'Volume "docker" mounts host path "/var/run/docker.sock"; hostPath volumes are disallowed.',
            },
        ],
    );
    c.pod(
        "flags every hostPath volume, including one without a path",
        (pod) => {
            pod.volumes[0] = { name: "root", hostPath: { path: "/" } };
            pod.volumes[1] = { name: "odd", hostPath: {} };
        },
        [
            { path: "spec.volumes[0].hostPath", message: 'Volume "root" mounts host path "/"; hostPath volumes are disallowed.' },
            { path: "spec.volumes[1].hostPath", message: 'Volume "odd" mounts host path not set; hostPath volumes are disallowed.' },
        ],
    );
});
