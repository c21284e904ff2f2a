// The frameworks rules cite: the BSI IT-Grundschutz requirements (Edition 2023 numbering;
// titles in German as the Kompendium has them, so an auditor can look each one up) and the
// Pod Security Standards release the PSS rules follow.
import type { FrameworkReference } from "./types";

/** BSI IT-Grundschutz requirements cited by the workload rules. */
export const BSI = {
    /** SYS.1.6.A6 Verwendung sicherer Images. */
    secureImages: "SYS.1.6.A6",
    /** SYS.1.6.A12 Verteilung sicherer Images. */
    imageDistribution: "SYS.1.6.A12",
    /** SYS.1.6.A13 Freigabe von Images. */
    imageRelease: "SYS.1.6.A13",
    /** SYS.1.6.A15 Limitierung der Ressourcen pro Container. */
    resourceLimits: "SYS.1.6.A15",
    /** SYS.1.6.A17 Ausführung von Containern ohne Privilegien. */
    unprivileged: "SYS.1.6.A17",
    /** SYS.1.6.A18 Accounts der Anwendungsdienste. */
    serviceAccounts: "SYS.1.6.A18",
    /** SYS.1.6.A19 Einbinden von Datenspeichern in Container. */
    storage: "SYS.1.6.A19",
    /** SYS.1.6.A21 Erweiterte Sicherheitsrichtlinien (seccomp, AppArmor, SELinux). */
    extendedPolicies: "SYS.1.6.A21",
    /** SYS.1.6.A23 Unveränderlichkeit der Container. */
    immutable: "SYS.1.6.A23",
    /** SYS.1.6.A26 Weitergehende Isolation und Kapselung von Containern. */
    isolation: "SYS.1.6.A26",
    /** APP.4.4.A1 Planung der Separierung der Anwendungen. */
    appSeparation: "APP.4.4.A1",
    /** APP.4.4.A4 Separierung der Pods. */
    podSeparation: "APP.4.4.A4",
    /** APP.4.4.A7 Separierung der Netze bei Kubernetes. */
    networkSeparation: "APP.4.4.A7",
    /** APP.4.4.A11 Überwachung der Container. */
    monitoring: "APP.4.4.A11",
} as const;

/**
 * The Kubernetes release whose Pod Security Standards the PSS rules follow (host probes 1.34,
 * user-namespace relaxations 1.35, the grown sysctl set, Windows exemptions 1.25).
 */
export const PSS_KUBERNETES_VERSION = "1.37";

/** A rule's framework reference as CrossGuard's policy metadata states it. */
export function complianceFramework(framework: FrameworkReference): { name: string; version: string; reference: string; specification: string } {
    return {
        name: "BSI IT-Grundschutz",
        version: "2023",
        reference: framework.bsi.join(", "),
        specification: framework.pss ? `Pod Security Standards (${framework.pss})` : "",
    };
}

/** The same in one line, e.g. `BSI IT-Grundschutz 2023: SYS.1.6.A17; Pod Security Standards (baseline)`. */
export function frameworkLine(framework: FrameworkReference): string {
    const { name, version, reference, specification } = complianceFramework(framework);
    const head = `${name} ${version}`;
    return [reference ? `${head}: ${reference}` : head, specification].filter(Boolean).join("; ");
}

/** The framework reference of a Pod Security Standards control. */
export function pss(level: "baseline" | "restricted", bsi: string[]): { bsi: string[]; pss: "baseline" | "restricted"; pssKubernetesVersion: string } {
    return { bsi, pss: level, pssKubernetesVersion: PSS_KUBERNETES_VERSION };
}
