import { restrictSysctls as rule, SAFE_SYSCTLS } from "../../catalog/workload/restrict-sysctls";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-sysctls.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("restrict-sysctls", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
