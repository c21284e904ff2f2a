import { requirePodProbes as rule } from "../../catalog/runtime/require-pod-probes";
import { itChecksCases } from "../cases";
import { cases } from "./require-pod-probes.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("require-pod-probes", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
