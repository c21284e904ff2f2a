import { disallowHostProcess as rule } from "../../catalog/runtime/disallow-host-process";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-host-process.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-host-process", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
