import { expect } from "chai";

import { disallowPrivilegeEscalationItgrundschutz as rule } from "../../catalog/runtime/disallow-privilege-escalation-itgrundschutz";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-privilege-escalation-itgrundschutz.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-privilege-escalation-itgrundschutz", () => {
    itChecksCases(cases);

    it("cites the BSI requirement for unprivileged containers and the restricted profile as of Kubernetes 1.37", () => {
        expect(rule.framework).to.deep.equal({ bsi: ["SYS.1.6.A17", "APP.4.4.A4"], pss: "restricted", pssKubernetesVersion: "1.37" });
    });

    itCoversEveryPodKind(rule);
});
