import { requireRoRootfs as rule } from "../../catalog/runtime/require-ro-rootfs";
import { itChecksCases } from "../cases";
import { cases } from "./require-ro-rootfs.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("require-ro-rootfs", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
