import { disallowProcMount as rule } from "../../catalog/runtime/disallow-proc-mount";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-proc-mount.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-proc-mount", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
