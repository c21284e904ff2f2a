import { restrictVolumeTypes as rule } from "../../catalog/runtime/restrict-volume-types";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-volume-types.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("restrict-volume-types", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
