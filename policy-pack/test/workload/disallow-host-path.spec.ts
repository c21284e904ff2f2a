import { disallowHostPath as rule } from "../../catalog/workload/disallow-host-path";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("disallow-host-path", () => {
    itPassesCompliantWorkloads(rule);

    it("passes a pod without volumes and with an empty volume list", () => {
        expectPodViolations(rule, (pod) => delete pod.volumes, []);
        expectPodViolations(rule, (pod) => (pod.volumes = []), []);
    });

    itFlagsEveryKind(
        rule,
        "flags a hostPath volume",
        (pod) => pod.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock", type: "Socket" } }),
        (p) => [
            {
                path: `${p}.volumes[2].hostPath`,
                message: 'Volume "docker" mounts host path "/var/run/docker.sock"; hostPath volumes are disallowed.',
            },
        ],
    );

    it("flags every hostPath volume, including one without a path", () => {
        expectPodViolations(
            rule,
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
});
