import { disallowHostNamespaces as rule } from "../../catalog/workload/disallow-host-namespaces";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("disallow-host-namespaces", () => {
    itPassesCompliantWorkloads(rule);

    it("passes hostNetwork, hostIPC and hostPID set explicitly to false", () => {
        expectPodViolations(rule, (pod) => Object.assign(pod, { hostNetwork: false, hostIPC: false, hostPID: false }), []);
    });

    itFlagsEveryKind(
        rule,
        "flags hostNetwork: true",
        (pod) => (pod.hostNetwork = true),
        (p) => [{ path: `${p}.hostNetwork`, message: "The pod sets hostNetwork to true; it must be unset or false." }],
    );

    it("flags hostIPC: true", () => {
        expectPodViolations(rule, (pod) => (pod.hostIPC = true), [
            { path: "spec.hostIPC", message: "The pod sets hostIPC to true; it must be unset or false." },
        ]);
    });

    it("flags hostPID: true", () => {
        expectPodViolations(rule, (pod) => (pod.hostPID = true), [
            { path: "spec.hostPID", message: "The pod sets hostPID to true; it must be unset or false." },
        ]);
    });

    it("flags all three at once, in the order network, IPC, PID", () => {
        expectPodViolations(rule, (pod) => Object.assign(pod, { hostPID: true, hostIPC: true, hostNetwork: true }), [
            { path: "spec.hostNetwork", message: "The pod sets hostNetwork to true; it must be unset or false." },
            { path: "spec.hostIPC", message: "The pod sets hostIPC to true; it must be unset or false." },
            { path: "spec.hostPID", message: "The pod sets hostPID to true; it must be unset or false." },
        ]);
    });
});
