import { restrictVolumeTypes, ALLOWED_VOLUME_TYPES } from "../../catalog/runtime/restrict-volume-types";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(restrictVolumeTypes, (c) => {
    c.compliant();
    c.pod(
        "passes one volume of each allowed type",
        (pod) => (pod.volumes = ALLOWED_VOLUME_TYPES.map((type, i) => ({ name: `v${i}`, [type]: {} }))),
        [],
    );
    c.pod("passes a pod without volumes", (pod) => delete pod.volumes, []);
    c.everyKind(
        "flags a hostPath volume",
        (pod) => pod.volumes.push({ name: "host", hostPath: { path: "/etc" } }),
        (p) => [{ path: `${p}.volumes[2].hostPath`, message: 'Volume "host" uses volume type "hostPath", which is not one of the allowed types.' }],
    );
    c.pod(
        "flags in-tree network volumes such as nfs, iscsi and gitRepo",
        (pod) =>
        (pod.volumes = [
            { name: "nfs", nfs: { server: "nfs.example.com", path: "/exports" } },
            { name: "ok", secret: { secretName: "app" } },
            { name: "repo", gitRepo: { repository: "https://example.com/repo.git" } },
        ]),
        [
            { path: "spec.volumes[0].nfs", message: 'Volume "nfs" uses volume type "nfs", which is not one of the allowed types.' },
            { path: "spec.volumes[2].gitRepo", message: 'Volume "repo" uses volume type "gitRepo", which is not one of the allowed types.' },
        ],
    );
});
