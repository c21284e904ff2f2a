import { disallowPrivilegedContainers as rule } from "../../catalog/runtime/disallow-privileged-containers";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-privileged-containers.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-privileged-containers", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
