import { ALLOWED_VOLUME_TYPES, restrictVolumeTypes as rule } from "../../catalog/workload/restrict-volume-types";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("restrict-volume-types", () => {
    itPassesCompliantWorkloads(rule);

    it("passes one volume of each allowed type, and no volumes at all", () => {
        expectPodViolations(rule, (pod) => (pod.volumes = ALLOWED_VOLUME_TYPES.map((type, i) => ({ name: `v${i}`, [type]: {} }))), []);
        expectPodViolations(rule, (pod) => delete pod.volumes, []);
    });

    itFlagsEveryKind(
        rule,
        "flags a hostPath volume",
        (pod) => pod.volumes.push({ name: "host", hostPath: { path: "/etc" } }),
        (p) => [{ path: `${p}.volumes[2].hostPath`, message: 'Volume "host" uses volume type "hostPath", which is not one of the allowed types.' }],
    );

    it("flags in-tree network volumes such as nfs, iscsi and gitRepo", () => {
        expectPodViolations(
            rule,
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
});
