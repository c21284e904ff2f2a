import { requireRequestsLimits as rule } from "../../catalog/runtime/require-requests-limits";
import { itChecksCases } from "../cases";
import { cases } from "./require-requests-limits.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("require-requests-limits", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
