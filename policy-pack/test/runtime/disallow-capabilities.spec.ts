import { disallowCapabilities as rule } from "../../catalog/runtime/disallow-capabilities";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-capabilities.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-capabilities", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
