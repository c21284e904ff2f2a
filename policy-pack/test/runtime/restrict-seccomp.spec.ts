import { restrictSeccomp as rule } from "../../catalog/runtime/restrict-seccomp";
import { itChecksCases } from "../cases";
import { cases } from "./restrict-seccomp.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("restrict-seccomp", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
