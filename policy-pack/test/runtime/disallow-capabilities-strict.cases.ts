import { disallowCapabilitiesStrict } from "../../catalog/runtime/disallow-capabilities-strict";
import { everyContainer, onWindows, workloadCases } from "./fixtures";

export const cases = workloadCases(disallowCapabilitiesStrict, (c) => {
    c.compliant();
    c.pod(
        "passes drop ALL with NET_BIND_SERVICE added back, and ALL among other drops",
        (pod) => {
            pod.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] };
            pod.containers[1].securityContext.capabilities = { drop: ["NET_RAW", "ALL"], add: [] };
        },
        [],
    );
    c.everyKind(
        "fails when a container does not drop ALL",
        (pod) => (pod.containers[0].securityContext.capabilities.drop = ["NET_RAW"]),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.capabilities.drop`,
                message: 'container "app" must drop "ALL" capabilities, but securityContext.capabilities.drop is ["NET_RAW"].',
            },
        ],
    );
    c.pod(
        "fails when drop is absent, empty, or the whole capabilities block is missing",
        (pod) => {
            delete pod.containers[0].securityContext.capabilities.drop;
            pod.containers[1].securityContext.capabilities.drop = [];
            delete pod.initContainers[0].securityContext.capabilities;
            delete pod.ephemeralContainers[0].securityContext;
        },
        [
            {
                path: "spec.containers[0].securityContext.capabilities.drop",
                message: 'container "app" must drop "ALL" capabilities, but securityContext.capabilities.drop is not set.',
            },
            {
                path: "spec.containers[1].securityContext.capabilities.drop",
                message: 'container "metrics" must drop "ALL" capabilities, but securityContext.capabilities.drop is [].',
            },
            {
                path: "spec.initContainers[0].securityContext.capabilities.drop",
                message: 'init container "migrate" must drop "ALL" capabilities, but securityContext.capabilities.drop is not set.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.capabilities.drop",
                message: 'ephemeral container "debug" must drop "ALL" capabilities, but securityContext.capabilities.drop is not set.',
            },
        ],
    );
    c.pod(
        'fails when drop spells "all" in lower case',
        (pod) => (pod.containers[1].securityContext.capabilities.drop = ["all"]),
        [
            {
                path: "spec.containers[1].securityContext.capabilities.drop",
                message: 'container "metrics" must drop "ALL" capabilities, but securityContext.capabilities.drop is ["all"].',
            },
        ],
    );
    c.pod(
        "flags an added capability other than NET_BIND_SERVICE, even one of the baseline set",
        (pod) => {
            pod.initContainers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE", "CHOWN"];
            pod.ephemeralContainers[0].securityContext.capabilities.add = ["SYS_ADMIN"];
        },
        [
            {
                path: "spec.initContainers[0].securityContext.capabilities.add[1]",
                message: 'init container "migrate" adds capability "CHOWN"; only "NET_BIND_SERVICE" may be added.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.capabilities.add[0]",
                message: 'ephemeral container "debug" adds capability "SYS_ADMIN"; only "NET_BIND_SERVICE" may be added.',
            },
        ],
    );
    c.pod(
        "flags both a missing drop and a forbidden add on the same container",
        (pod) => (pod.containers[0].securityContext.capabilities = { add: ["NET_ADMIN"] }),
        [
            {
                path: "spec.containers[0].securityContext.capabilities.drop",
                message: 'container "app" must drop "ALL" capabilities, but securityContext.capabilities.drop is not set.',
            },
            {
                path: "spec.containers[0].securityContext.capabilities.add[0]",
                message: 'container "app" adds capability "NET_ADMIN"; only "NET_BIND_SERVICE" may be added.',
            },
        ],
    );
    // PSS restricted, Kubernetes 1.25+: Windows pods are exempt from this check (the field has no effect on Windows).
    c.everyKind(
        "passes a Windows pod (spec.os.name: windows) that sets no capabilities",
        (pod) => {
            onWindows(pod);
            everyContainer(pod, (container) => delete container.securityContext.capabilities);
        },
        () => [],
    );
    c.pod(
        "fails when a Linux pod (spec.os.name: linux) sets no capabilities",
        (pod) => {
            pod.os = { name: "linux" };
            delete pod.containers[0].securityContext.capabilities;
        },
        [
            {
                path: "spec.containers[0].securityContext.capabilities.drop",
                message: 'container "app" must drop "ALL" capabilities, but securityContext.capabilities.drop is not set.',
            },
        ],
    );
});
