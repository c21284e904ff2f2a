import { expect } from "chai";

import { disallowHostProbes as rule } from "../../catalog/runtime/disallow-host-probes";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-host-probes.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-host-probes", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);

    it("is a baseline control of the Pod Security Standards as of Kubernetes 1.37", () => {
        expect(rule.framework).to.deep.equal({ bsi: ["APP.4.4.A7", "APP.4.4.A4"], pss: "baseline", pssKubernetesVersion: "1.37" });
    });
});
