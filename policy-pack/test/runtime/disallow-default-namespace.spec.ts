import { disallowDefaultNamespace as rule } from "../../catalog/runtime/disallow-default-namespace";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-default-namespace.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-default-namespace", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
