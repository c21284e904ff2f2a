import { disallowSelinux as rule } from "../../catalog/runtime/disallow-selinux";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-selinux.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-selinux", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
