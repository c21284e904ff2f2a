import { requireRunAsNonroot as rule } from "../../catalog/runtime/require-run-as-nonroot";
import { itChecksCases } from "../cases";
import { cases } from "./require-run-as-nonroot.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("require-run-as-nonroot", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
