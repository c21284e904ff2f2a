import { disallowSelinux } from "../../catalog/runtime/disallow-selinux";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(disallowSelinux, (c) => {
    c.compliant();
    c.pod(
        "passes each allowed SELinux type and a level, at pod and container level",
        (pod) => {
            pod.securityContext.seLinuxOptions = { type: "container_t", level: "s0:c123,c456" };
            pod.containers[0].securityContext.seLinuxOptions = { type: "container_init_t" };
            pod.containers[1].securityContext.seLinuxOptions = { type: "container_kvm_t" };
            pod.initContainers[0].securityContext.seLinuxOptions = { level: "s0" };
        },
        [],
    );
    c.everyKind(
        "flags a disallowed SELinux type on a container",
        (pod) => (pod.containers[0].securityContext.seLinuxOptions = { type: "spc_t" }),
        (p) => [
            {
                path: `${p}.containers[0].securityContext.seLinuxOptions.type`,
                message: 'container "app" sets securityContext.seLinuxOptions.type to "spc_t"; it must be unset or one of container_t, container_init_t, container_kvm_t.',
            },
        ],
    );
    c.pod(
        "flags a disallowed type at pod level",
        (pod) => (pod.securityContext.seLinuxOptions = { type: "unconfined_t" }),
        [
            {
                path: "spec.securityContext.seLinuxOptions.type",
                message: 'The pod sets securityContext.seLinuxOptions.type to "unconfined_t"; it must be unset or one of container_t, container_init_t, container_kvm_t.',
            },
        ],
    );
    c.pod(
        "flags an empty type string, which upstream does not allow",
        (pod) => (pod.initContainers[0].securityContext.seLinuxOptions = { type: "" }),
        [
            {
                path: "spec.initContainers[0].securityContext.seLinuxOptions.type",
                message: 'init container "migrate" sets securityContext.seLinuxOptions.type to ""; it must be unset or one of container_t, container_init_t, container_kvm_t.',
            },
        ],
    );
    c.pod(
        "flags an SELinux user and role at pod level, even with an allowed type",
        (pod) => (pod.securityContext.seLinuxOptions = { type: "container_t", user: "system_u", role: "system_r" }),
        [
            {
                path: "spec.securityContext.seLinuxOptions.user",
                message: 'The pod sets securityContext.seLinuxOptions.user to "system_u"; the SELinux user must not be set.',
            },
            {
                path: "spec.securityContext.seLinuxOptions.role",
                message: 'The pod sets securityContext.seLinuxOptions.role to "system_r"; the SELinux role must not be set.',
            },
        ],
    );
    c.pod(
        "flags a user on an ephemeral container and an empty role on a container",
        (pod) => {
            pod.ephemeralContainers[0].securityContext.seLinuxOptions = { user: "sysadm_u" };
            pod.containers[1].securityContext.seLinuxOptions = { role: "" };
        },
        [
            {
                path: "spec.containers[1].securityContext.seLinuxOptions.role",
                message: 'container "metrics" sets securityContext.seLinuxOptions.role to ""; the SELinux role must not be set.',
            },
            {
                path: "spec.ephemeralContainers[0].securityContext.seLinuxOptions.user",
                message: 'ephemeral container "debug" sets securityContext.seLinuxOptions.user to "sysadm_u"; the SELinux user must not be set.',
            },
        ],
    );
});
