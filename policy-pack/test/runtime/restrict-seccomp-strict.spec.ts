import { restrictSeccompStrict as rule } from "../../catalog/runtime/restrict-seccomp-strict";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-seccomp-strict.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("restrict-seccomp-strict", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
