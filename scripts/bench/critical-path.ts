// Depth of the deployment graph: the longest chain of resources where each waits for the one
// before it. The depth bounds how long `pulumi up` takes however parallel the engine runs, and
// it tells whether tenants wait for each other (then the depth grows with the tenant count).
//
// Two views, because the engine and the Node.js SDK order things differently:
// - "engine": only `dependencies` (dependsOn plus property dependencies, components already
//   expanded to their custom descendants by the SDK) order steps; parent links do not.
// - "sdk": additionally a child waits for its parent, because the Node.js SDK sends a child's
//   registration only once it has the parent's URN, and the engine answers a registration
//   (even a component's) only after that resource's own dependencies are done
//   (@pulumi/pulumi runtime/resource.js, prepareResource: `await parent.urn.promise()`).
// Custom resources take time to deploy; local components do not (the engine answers their
// registration at once), so they weigh nothing but pass waiting on. Remote components (a
// `helm.v4.Chart`, which the provider constructs and answers only once its objects exist) do
// take time. The recording does not mark them, but the SDK puts only custom resources and remote
// components into `dependencies` (runtime/dependsOn.js, getAllTransitivelyReferencedResources),
// so a component that something waits for is remote and counts like a custom resource.

export interface GraphNode {
    urn: string;
    custom: boolean;
    /** URN of the parent, if any. */
    parent?: string;
    /** URNs this resource waits for. */
    dependencies: readonly string[];
}

export interface CriticalPathOptions {
    /**
     * Whether a child waits for its parent (the Node.js SDK's behaviour, see above).
     * @default false - only dependencies order resources, as in the engine
     */
    parentLinks?: boolean;
}

export interface CriticalPath {
    /** Resources that take time (custom resources, remote components) on the longest chain. */
    depth: number;
    /** URNs along that chain, first to deploy first (components on it included). */
    chain: string[];
    /** URNs waited for that are not in the graph (counted as one custom resource each). */
    unknown: string[];
}

/** The longest chain of the graph. Throws when it has a cycle (the engine would refuse it too). */
export function criticalPath(nodes: readonly GraphNode[], options: CriticalPathOptions = {}): CriticalPath {
    const byUrn = new Map<string, GraphNode>();
    for (const node of nodes) byUrn.set(node.urn, node);
    const unknown = new Set<string>();
    const waitsFor = (node: GraphNode): string[] => {
        const edges = [...node.dependencies];
        if (options.parentLinks && node.parent !== undefined) edges.push(node.parent);
        for (const urn of edges) if (!byUrn.has(urn)) unknown.add(urn);
        return edges;
    };
    const waitedFor = new Set<string>();
    for (const node of nodes) for (const urn of node.dependencies) waitedFor.add(urn);
    const weight = (urn: string): number => (byUrn.get(urn)?.custom ?? true) || waitedFor.has(urn) ? 1 : 0;

    // Longest weighted path ending at each node, by iterative depth-first search (graphs of
    // tens of thousands of resources would overflow a recursive one).
    const depth = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const state = new Map<string, "open" | "done">();
    for (const start of nodes) {
        if (state.get(start.urn) === "done") continue;
        const stack: { urn: string; edges: string[]; next: number }[] = [];
        const open = (urn: string) => {
            state.set(urn, "open");
            const node = byUrn.get(urn);
            stack.push({ urn, edges: node ? waitsFor(node) : [], next: 0 });
        };
        open(start.urn);
        while (stack.length > 0) {
            const frame = stack[stack.length - 1];
            if (frame.next < frame.edges.length) {
                const dep = frame.edges[frame.next++];
                const seen = state.get(dep);
                if (seen === "open") {
                    const cycle = stack.slice(stack.findIndex((f) => f.urn === dep)).map((f) => f.urn);
                    throw new Error(`the deployment graph has a cycle: ${[...cycle, dep].join(" -> ")}`);
                }
                if (seen === undefined) open(dep);
                continue;
            }
            let best = 0;
            let bestVia: string | undefined;
            for (const dep of frame.edges) {
                const d = depth.get(dep)!;
                if (d > best || bestVia === undefined) {
                    best = d;
                    bestVia = dep;
                }
            }
            depth.set(frame.urn, best + weight(frame.urn));
            via.set(frame.urn, bestVia);
            state.set(frame.urn, "done");
            stack.pop();
        }
    }

    let end: string | undefined;
    let max = 0;
    for (const node of nodes) {
        const d = depth.get(node.urn)!;
        if (end === undefined || d > max) {
            max = d;
            end = node.urn;
        }
    }
    const chain: string[] = [];
    for (let at = end; at !== undefined; at = via.get(at)) chain.unshift(at);
    return { depth: max, chain, unknown: [...unknown].sort() };
}
