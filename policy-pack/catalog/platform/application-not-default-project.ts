import type { Violation } from "../types";
import type { PlatformRule, PulumiResource } from "./types";
import { dig, show } from "./values";

/** Every Application the platform creates names a real AppProject. */
export const applicationNotDefaultProject: PlatformRule = {
    id: "application-not-default-project",
    title: "Applications name a project other than default",
    description: "An Argo CD Application created by Pulumi sets spec.project to a project other than `default`.",
    severity: "medium",
    category: "Argo",
    framework: { bsi: ["APP.4.4.A1", "APP.4.4.A3"] },
    remediation: "Set spec.project to the tenant's AppProject, or `platform` for platform applications.",
    resourceTypes: ["kubernetes:argoproj.io/v1alpha1:Application"],
    check(resource: PulumiResource): Violation[] {
        const project = dig(resource.props, "spec", "project");
        if (typeof project !== "string" || project.trim() === "" || project === "default") {
            return [{ path: "spec.project", message: `spec.project is ${show(project)}; an Application must name a project other than "default".` }];
        }
        return [];
    },
};
