import { expect } from "chai";

import { containerLabel, forEachContainer, keySegment, podOf, quote } from "../../catalog/runtime/pod";
import type { ContainerList } from "../../catalog/runtime/pod";
import { POD_KIND_CASES, workload } from "./fixtures";

describe("workload pod walker", () => {
    for (const { kind, podPath, metadataPath } of POD_KIND_CASES) {
        it(`finds the pod spec and metadata of a ${kind}`, () => {
            const pod = podOf(workload(kind));
            expect(pod?.path).to.equal(podPath);
            expect(pod?.metadataPath).to.equal(metadataPath);
            expect(pod?.spec.containers).to.have.lengthOf(2);
            expect(pod?.metadata?.labels).to.deep.equal({ app: "app" });
        });
    }

    it("returns undefined for other kinds and for templates without a spec", () => {
        expect(podOf({ kind: "Service", spec: { ports: [] } })).to.equal(undefined);
        expect(podOf({ kind: "CronJob", spec: { jobTemplate: {} } })).to.equal(undefined);
        expect(podOf({ kind: "Deployment", spec: { template: { metadata: {} } } })).to.equal(undefined);
        expect(podOf({ kind: "Pod" })).to.equal(undefined);
    });

    it("visits containers, then init containers, then ephemeral containers, skipping non-objects", () => {
        const manifest = workload("Pod", (pod) => pod.initContainers.push(null, "oops"));
        const pod = podOf(manifest)!;
        const seen: string[] = [];
        forEachContainer(pod, (container, list, index) => seen.push(`${list}[${index}]=${String(container.name)}`));
        expect(seen).to.deep.equal(["containers[0]=app", "containers[1]=metrics", "initContainers[0]=migrate", "ephemeralContainers[0]=debug"]);
    });

    it("visits only the lists asked for", () => {
        const pod = podOf(workload("Job"))!;
        const seen: ContainerList[] = [];
        forEachContainer(pod, (_container, list) => seen.push(list), ["initContainers"]);
        expect(seen).to.deep.equal(["initContainers"]);
    });

    it("names containers by kind and name, or by index when unnamed", () => {
        expect(containerLabel({ name: "app" }, "containers", 0)).to.equal('container "app"');
        expect(containerLabel({ name: "setup" }, "initContainers", 1)).to.equal('init container "setup"');
        expect(containerLabel({}, "ephemeralContainers", 2)).to.equal("ephemeral container #2");
    });

    it("quotes values as JSON and absent values as 'not set'", () => {
        expect([quote(undefined), quote(null), quote(true), quote("x"), quote(["ALL"])]).to.deep.equal(["not set", "null", "true", '"x"', '["ALL"]']);
    });

    it("quotes values JSON cannot represent by their type", () => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        expect([quote(10n), quote(cyclic), quote(() => 1)]).to.deep.equal(["10", "object", "function"]);
    });

    it("writes map keys with dots or slashes in brackets", () => {
        expect(keySegment("labels")).to.equal(".labels");
        expect(keySegment("container.apparmor.security.beta.kubernetes.io/app")).to.equal('["container.apparmor.security.beta.kubernetes.io/app"]');
    });
});
