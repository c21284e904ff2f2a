// The floor of `npm run bench`: the cheapest program that registers as many resources as the
// platform does, under the same recording engine (runProgram). It reads the total from config
// (`bench-floor:count`) and registers one ComponentResource plus `count - 1` bare ConfigMaps
// with a small data map, parented under it, so both programs register exactly `count`.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FLOOR_PROJECT } from "./floor-project";

class Floor extends pulumi.ComponentResource {
    constructor(name: string, configMaps: number, opts?: pulumi.ComponentResourceOptions) {
        super("bench:floor:Floor", name, {}, opts);
        for (let i = 0; i < configMaps; i++) {
            new kubernetes.core.v1.ConfigMap(`${name}-${i}`, {
                metadata: { name: `floor-${i}`, namespace: "floor" },
                data: { index: String(i), purpose: "bench-floor" },
            }, { parent: this });
        }
        this.registerOutputs({});
    }
}

const count = new pulumi.Config(FLOOR_PROJECT).requireNumber("count");
if (!Number.isInteger(count) || count < 1) {
    throw new Error(`bench-floor:count ${count} must be a whole number of at least 1`);
}
new Floor("floor", count - 1);

export const registered = count;
