import { restrictApparmorProfiles as rule } from "../../catalog/runtime/restrict-apparmor-profiles";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-apparmor-profiles.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("restrict-apparmor-profiles", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
