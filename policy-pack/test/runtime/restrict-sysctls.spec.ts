import { restrictSysctls as rule } from "../../catalog/runtime/restrict-sysctls";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-sysctls.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("restrict-sysctls", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
