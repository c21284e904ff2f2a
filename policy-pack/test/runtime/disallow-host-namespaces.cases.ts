import { disallowHostNamespaces } from "../../catalog/runtime/disallow-host-namespaces";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowHostNamespaces, (c) => {
    c.compliant();
    c.pod(
        "passes hostNetwork, hostIPC and hostPID set explicitly to false",
        (pod) => Object.assign(pod, { hostNetwork: false, hostIPC: false, hostPID: false }),
        [],
    );
    c.everyKind(
        "flags hostNetwork: true",
        (pod) => (pod.hostNetwork = true),
        (p) => [{ path: `${p}.hostNetwork`, message: "The pod sets hostNetwork to true; it must be unset or false." }],
    );
    c.pod(
        "flags hostIPC: true",
        (pod) => (pod.hostIPC = true),
        [
            { path: "spec.hostIPC", message: "The pod sets hostIPC to true; it must be unset or false." },
        ],
    );
    c.pod(
        "flags hostPID: true",
        (pod) => (pod.hostPID = true),
        [
            { path: "spec.hostPID", message: "The pod sets hostPID to true; it must be unset or false." },
        ],
    );
    c.pod(
        "flags all three at once, in the order network, IPC, PID",
        (pod) => Object.assign(pod, { hostPID: true, hostIPC: true, hostNetwork: true }),
        [
            { path: "spec.hostNetwork", message: "The pod sets hostNetwork to true; it must be unset or false." },
            { path: "spec.hostIPC", message: "The pod sets hostIPC to true; it must be unset or false." },
            { path: "spec.hostPID", message: "The pod sets hostPID to true; it must be unset or false." },
        ],
    );
});
