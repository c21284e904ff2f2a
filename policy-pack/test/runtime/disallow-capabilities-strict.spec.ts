import { disallowCapabilitiesStrict as rule } from "../../catalog/runtime/disallow-capabilities-strict";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-capabilities-strict.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-capabilities-strict", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
