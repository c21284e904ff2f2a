// The program the planner runs to learn which setting of a tenant entry produces which input of
// the tenant's resources (provenance.ts). It registers the real Tenant component once per copy of
// a tenant entry, each copy with at most one setting changed, on the same hub context the stack
// program builds (components/platform.ts `hubContext`). Each copy sits under a parent of its own
// type, so copies with equal names still get distinct URNs. A copy whose component throws is
// skipped and named in the `failed` output.
import * as pulumi from "@pulumi/pulumi";
import { hubContext } from "../../components/platform";
import { Tenant } from "../../components/tenant/tenant";
import type { PlatformConfig, TenantConfig } from "../../stacks/schema";
import { PROBE_PROJECT, copyType } from "./provenance";

export = () => {
    const config = new pulumi.Config(PROBE_PROJECT);
    const platform = config.requireObject<PlatformConfig>("platform");
    const copies = config.requireObject<TenantConfig[]>("copies");
    const hub = hubContext(platform, []);
    const failed: number[] = [];
    copies.forEach((tenant, k) => {
        const parent = new pulumi.ComponentResource(copyType(k), `copy-${k}`, {});
        try {
            new Tenant(tenant.name, { tenant, hub }, { parent });
        } catch {
            failed.push(k);
        }
    });
    return { failed };
};
