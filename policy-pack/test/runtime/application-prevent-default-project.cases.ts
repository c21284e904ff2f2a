import { applicationPreventDefaultProject } from "../../catalog/runtime/application-prevent-default-project";
import type { Manifest } from "../../catalog/core/types";
import { ruleCases } from "../cases";

export function application(project?: unknown): Manifest {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "team-a-shop", namespace: "argocd" },
        spec: {
            ...(project === undefined ? {} : { project }),
            source: { repoURL: "https://github.com/acme/team-a-apps.git", path: "shop" },
            destination: { name: "team-a", namespace: "shop" },
        },
    };
}

export const cases = ruleCases(applicationPreventDefaultProject, { settings: {} }, (c) => {
    c.add("passes an Application in a tenant project", application("team-a"), []);
    c.add("fails when spec.project is default", application("default"), [
        { path: "spec.project", message: 'spec.project is "default"; the default project may not be used in an Application.' },
    ]);
    c.add("fails when spec.project is missing", application(), [
        { path: "spec.project", message: "spec.project is undefined; an Application must name its AppProject." },
    ]);
    c.add("fails when spec.project is empty", application(""), [
        { path: "spec.project", message: 'spec.project is ""; an Application must name its AppProject.' },
    ]);
});
