import { disallowHostPorts as rule } from "../../catalog/runtime/disallow-host-ports";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-host-ports.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-host-ports", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
