import { disallowHostProcess } from "../../catalog/runtime/disallow-host-process";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowHostProcess, (c) => {
    c.compliant();
    c.pod(
        "passes a Windows pod with hostProcess: false and other windowsOptions",
        (pod) => {
            pod.securityContext.windowsOptions = { hostProcess: false, runAsUserName: "ContainerUser" };
            pod.containers[0].securityContext.windowsOptions = { hostProcess: false };
            pod.containers[1].securityContext.windowsOptions = { gmsaCredentialSpecName: "webapp" };
        },
        [],
    );
    c.everyKind(
        "flags a HostProcess container",
        (pod) => (pod.containers[0].securityContext.windowsOptions = { hostProcess: true, runAsUserName: "NT AUTHORITY\\SYSTEM" }),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.windowsOptions.hostProcess`,
                message: 'container "app" sets securityContext.windowsOptions.hostProcess to true; it must be unset or false.',
            },
        ],
    );
    c.pod(
        "flags hostProcess at pod level",
        (pod) => (pod.securityContext.windowsOptions = { hostProcess: true }),
        [
            {
                path: "spec.securityContext.windowsOptions.hostProcess",
                message: "The pod sets securityContext.windowsOptions.hostProcess to true; it must be unset or false.",
            },
        ],
    );
    c.pod(
        "flags init and ephemeral containers",
        (pod) => {
            pod.initContainers[0].securityContext.windowsOptions = { hostProcess: true };
            pod.ephemeralContainers[0].securityContext.windowsOptions = { hostProcess: true };
        },
        [
            {
                path: "spec.initContainers[0].securityContext.windowsOptions.hostProcess",
                message: 'init container "migrate" sets securityContext.windowsOptions.hostProcess to true; it must be unset or false.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.windowsOptions.hostProcess",
                message: 'ephemeral container "debug" sets securityContext.windowsOptions.hostProcess to true; it must be unset or false.',
            },
        ],
    );
});
