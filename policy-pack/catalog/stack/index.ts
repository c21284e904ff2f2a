// Pre-deploy rules over the whole stack (invariants that span several resources).
import type { StackRule } from "../platform/types";
import { appprojectUniqueDestinations } from "./appproject-unique-destinations";
import { tenantComplete } from "./tenant-complete";

export const stackRules: StackRule[] = [tenantComplete, appprojectUniqueDestinations];
