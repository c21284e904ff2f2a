import { expect } from "chai";
import { MOVING_REVISION_ANNOTATION } from "../../catalog/core/conventions";
import { applicationRevisionPinned as rule, isPinnedRevision } from "../../catalog/platform/application-revision-pinned";
import type { PulumiResource } from "../../catalog/core/types";

const context = { settings: {} };

/** A compliant tenant Application (what the program renders for a pinned app), then one mutation per case. */
function application(spec: Record<string, unknown>, annotations: Record<string, string> = {}): PulumiResource {
    return {
        type: "kubernetes:argoproj.io/v1alpha1:Application",
        name: "team-a-app-webapp",
        props: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: "team-a-webapp", namespace: "argocd", annotations },
            spec: { project: "team-a", destination: { name: "team-a", namespace: "webapp" }, ...spec },
        },
    };
}

const git = (targetRevision?: unknown) => ({ repoURL: "https://github.com/acme/team-a-apps.git", path: "apps/webapp", ...(targetRevision === undefined ? {} : { targetRevision }) });

describe("application-revision-pinned", () => {
    for (const revision of ["v2.3.1", "2.3.1", "1.4.2-rc.1", "0.9.0+build.7", "3f786850e387550fdab836ed7e6dc881de23001b", "a".repeat(64)]) {
        it(`passes targetRevision ${JSON.stringify(revision)}`, () => {
            expect(rule.check(application({ source: git(revision) }), context)).to.deep.equal([]);
        });
    }

    for (const revision of ["main", "HEAD", "master", "release/1.x", "1.*", ">=1.0.0", "^1.2.0", "latest", "3f78685", "V1.2.3"]) {
        it(`fails when targetRevision is ${JSON.stringify(revision)}`, () => {
            expect(rule.check(application({ source: git(revision) }), context)).to.deep.equal([{
                path: "spec.source.targetRevision",
                message: `spec.source.targetRevision is ${JSON.stringify(revision)}, which can move; deploy a release tag (e.g. "v1.4.2"), an exact chart version or a full commit SHA, so what runs is what was reviewed.`,
            }]);
        });
    }

    it("fails when targetRevision is unset or empty (Argo CD reads both as HEAD)", () => {
        for (const source of [git(), git("")]) {
            expect(rule.check(application({ source }), context)).to.deep.equal([{
                path: "spec.source.targetRevision",
                message: `spec.source.targetRevision is unset, which Argo CD reads as HEAD; deploy a release tag (e.g. "v1.4.2"), an exact chart version or a full commit SHA, so what runs is what was reviewed.`,
            }]);
        }
    });

    it("fails when targetRevision is not a string", () => {
        expect(rule.check(application({ source: git(7) }), context).map((v) => v.message)[0]).to.match(/^spec\.source\.targetRevision is 7, which can move;/);
    });

    it("checks every entry of spec.sources, naming the moving one", () => {
        const sources = [git("v1.0.0"), { repoURL: "https://charts.example.com", chart: "api", targetRevision: "1.*" }];
        expect(rule.check(application({ sources }), context).map((v) => v.path)).to.deep.equal(["spec.sources[1].targetRevision"]);
    });

    it("passes an Application whose entry opted in (annotation \"true\"), and only with that value", () => {
        expect(rule.check(application({ source: git("main") }, { [MOVING_REVISION_ANNOTATION]: "true" }), context)).to.deep.equal([]);
        expect(rule.check(application({ source: git("main") }, { [MOVING_REVISION_ANNOTATION]: "yes" }), context)).to.have.length(1);
    });

    it("has nothing to check on an Application without a source", () => {
        expect(rule.check(application({}), context)).to.deep.equal([]);
    });

    it("isPinnedRevision accepts exactly commit ids and exact SemVer versions", () => {
        expect(["v1.2.3", "1.2.3", "0".repeat(40)].map(isPinnedRevision)).to.deep.equal([true, true, true]);
        expect(["main", "1.2", "", undefined, "0".repeat(39)].map(isPinnedRevision)).to.deep.equal([false, false, false, false, false]);
    });
});
