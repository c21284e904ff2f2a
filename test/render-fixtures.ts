// Recorded stacks of the project's own for the `plan --render` specs: a chart resource pointing
// at test/fixtures/charts/demo-0.1.0 (subchart, values schema, hook, CRD, invalid pod spec) and
// the custom resources a program would register beside it. No network, no real chart.
import * as path from "path";
import type { RecordedResource } from "../scripts/recorder";
import { Plan, planOf } from "../scripts/plan/model";

export const FIXTURE_CHARTS = path.join(__dirname, "fixtures", "charts");
export const FIXTURE_REPO = "https://charts.example.invalid";
const STACK = "test";

const COMPONENT = "gitops-hub:test:Demo";
const COMPONENT_URN = `urn:pulumi:${STACK}::gitops-hub::${COMPONENT}::demo`;

/** A registration as the recorder would write it, under the `demo` component. */
export function recorded(type: string, name: string, inputs: Record<string, unknown>, options: Partial<RecordedResource> = {}): RecordedResource {
    return {
        type, name, urn: `urn:pulumi:${STACK}::gitops-hub::${COMPONENT}$${type}::${name}`, parent: COMPONENT_URN,
        custom: true, dependencies: [], protect: false, retainOnDelete: false, aliases: [], ignoreChanges: [], inputs, secretPaths: [], ...options,
    };
}

const component: RecordedResource = {
    type: COMPONENT, name: "demo", urn: COMPONENT_URN, custom: false, dependencies: [], protect: false,
    retainOnDelete: false, aliases: [], ignoreChanges: [], inputs: {}, secretPaths: [],
};

export const namespace = (name: string) => recorded("kubernetes:core/v1:Namespace", `${name}-namespace`, { apiVersion: "v1", kind: "Namespace", metadata: { name } });

/** The demo chart as the program's helm.v4.Chart registers it. */
export function demoChart(values: Record<string, unknown> = {}, chart = "demo", version = "0.1.0"): RecordedResource {
    return recorded("kubernetes:helm.sh/v4:Chart", "demo-chart", {
        chart, version, repositoryOpts: { repo: FIXTURE_REPO }, name: "demo", namespace: "demo", values,
    }, { custom: false });
}

export function widget(name: string, spec: Record<string, unknown>, apiVersion = "demo.example.com/v1"): RecordedResource {
    return recorded(`kubernetes:${apiVersion}:Widget`, name, { apiVersion, kind: "Widget", metadata: { name, namespace: "demo" }, spec });
}

export function planWith(...resources: RecordedResource[]): Plan {
    return planOf(STACK, { resources: [component, ...resources], outputs: {} });
}

/** The demo stack: namespace, chart, and the custom resources a program registers next to it. */
export function demoPlan(): Plan {
    return planWith(
        namespace("demo"),
        demoChart(),
        widget("good", { size: 2, color: "red", port: "http", extra: { anything: true } }),
        widget("bad", { size: "big", colour: "blue", color: "green" }),
        widget("old", { size: 2 }, "demo.example.com/v1beta1"),
        recorded("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gateway", {
            apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "hub", namespace: "demo" }, spec: { gatewayClassName: "example", listeners: [] },
        }),
        recorded("kubernetes:other.example.com/v1:Thing", "thing", { apiVersion: "other.example.com/v1", kind: "Thing", metadata: { name: "thing", namespace: "demo" } }),
    );
}
