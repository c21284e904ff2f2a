import { disallowLatestTag as rule } from "../../catalog/runtime/disallow-latest-tag";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-latest-tag.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-latest-tag", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
