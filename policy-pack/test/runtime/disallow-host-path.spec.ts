import { disallowHostPath as rule } from "../../catalog/runtime/disallow-host-path";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-host-path.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-host-path", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
