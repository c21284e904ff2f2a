import { expect } from "chai";

import { requireRunAsNonRootUser as rule } from "../../catalog/runtime/require-run-as-non-root-user";
import { itChecksCases } from "../cases";
import { cases } from "./require-run-as-non-root-user.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("require-run-as-non-root-user", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);

    it("is a restricted control of the Pod Security Standards as of Kubernetes 1.37", () => {
        expect(rule.framework).to.deep.equal({ bsi: ["SYS.1.6.A17", "SYS.1.6.A18"], pss: "restricted", pssKubernetesVersion: "1.37" });
    });
});
