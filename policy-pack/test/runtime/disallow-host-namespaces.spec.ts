import { disallowHostNamespaces as rule } from "../../catalog/runtime/disallow-host-namespaces";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-host-namespaces.cases";
import { itCoversEveryPodKind } from "./fixtures";

describe("disallow-host-namespaces", () => {
    itChecksCases(cases);

    itCoversEveryPodKind(rule);
});
