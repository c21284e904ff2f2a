// The targets `npm run bench` prints, and whether they are met: one decision, so what the bench
// prints as NOT met is exactly what makes it exit non-zero (unless --no-targets).

/** Ours ÷ floor wall time we aim for at the largest size. */
export const TARGET_RATIO = 1.3;
/** The ratio target is about scale: below this many tenants the SDK's start-up dominates both sides. */
export const TARGET_RATIO_MIN_TENANTS = 1000;
/** Peak RSS we stay under at the largest size. */
export const RSS_LIMIT_BYTES = 4 * 2 ** 30;

/** One size's numbers, as the bench records them. */
export interface SizeResult {
    tenants: number;
    error?: string;
    resources?: number;
    customResources?: number;
    resourcesPerTenant?: number;
    evalMs?: number;
    cpuMs?: number;
    processMs?: number;
    peakRssBytes?: number;
    depthEngine?: number;
    depthSdk?: number;
    longestChainEngine?: string[];
    longestChainSdk?: string[];
    argocdSizingProfile?: string | null;
    floor?: { resources?: number; evalMs?: number; cpuMs?: number; processMs?: number; peakRssBytes?: number; error?: string };
    /** Ours ÷ floor, wall time. */
    ratio?: number;
    /** Ours ÷ floor, CPU time (less disturbed by other processes on the machine). */
    ratioCpu?: number;
}

export interface Verdict {
    target: "ratio" | "depth" | "peak-rss";
    /** true met, false NOT met, undefined not judged (not measured, or not applicable at these sizes). */
    met: boolean | undefined;
    /** The report's lines for this target. */
    lines: string[];
}

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const count = (n: number) => n.toLocaleString("en-US");
const tenantsText = (n: number) => `${count(n)} tenant${n === 1 ? "" : "s"}`;
const word = (met: boolean) => (met ? "met" : "NOT met");

/** Every target's verdict for the measured sizes (sorted ascending, as the bench runs them). */
export function judge(results: SizeResult[]): Verdict[] {
    const verdicts: Verdict[] = [];
    const small = results[0];
    const big = results[results.length - 1];
    if (!big) return verdicts;
    const largest = big.tenants;

    if (big.ratio === undefined) {
        verdicts.push({ target: "ratio", met: undefined, lines: [`ratio at ${tenantsText(largest)}: not measured (${big.error ? "program failed" : "floor failed"})`] });
    } else if (largest < TARGET_RATIO_MIN_TENANTS) {
        verdicts.push({ target: "ratio", met: undefined, lines: [`ratio at ${tenantsText(largest)}: ${big.ratio.toFixed(3)}x the floor's wall time; the target (<= ${TARGET_RATIO}x) applies from ${tenantsText(TARGET_RATIO_MIN_TENANTS)}: not judged`] }); 
    } else {
        const met = big.ratio <= TARGET_RATIO;
        verdicts.push({ target: "ratio", met, lines: [`ratio at ${tenantsText(largest)}: ${big.ratio.toFixed(3)}x the floor's wall time (target <= ${TARGET_RATIO}x): ${word(met)}; CPU time ${big.ratioCpu!.toFixed(3)}x`] });
    }

    if (big.depthEngine !== undefined && small.depthEngine !== undefined && small !== big) {
        const met = big.depthEngine === small.depthEngine && big.depthSdk === small.depthSdk;
        verdicts.push({
            target: "depth", met, lines: [
                `deployment graph depth (resources on the longest chain of waits): ${tenantsText(small.tenants)} ${small.depthEngine}, ${tenantsText(largest)} ${big.depthEngine} (dependencies only, as the engine orders steps); with parent links, as the Node.js SDK registers: ${small.depthSdk} and ${big.depthSdk}; ${met ? "equal: tenants never wait for each other" : "NOT equal: something waits across tenants"}`,
                `  longest chain at ${tenantsText(largest)} (engine): ${big.longestChainEngine!.join(" -> ") || "(none)"}`,
                `  longest chain at ${tenantsText(largest)} (sdk):    ${big.longestChainSdk!.join(" -> ") || "(none)"}`,
            ],
        });
    } else {
        const why = big.depthEngine === undefined || small.depthEngine === undefined ? "program failed" : "one size only; it compares the smallest and the largest";
        verdicts.push({ target: "depth", met: undefined, lines: [`deployment graph depth: not compared (${why})`] });
    }

    if (big.peakRssBytes !== undefined) {
        const met = big.peakRssBytes < RSS_LIMIT_BYTES;
        verdicts.push({ target: "peak-rss", met, lines: [`peak RSS at ${tenantsText(largest)}: ${MiB(big.peakRssBytes)} (limit ${MiB(RSS_LIMIT_BYTES)}): ${word(met)}`] });
    } else {
        verdicts.push({ target: "peak-rss", met: undefined, lines: [`peak RSS at ${tenantsText(largest)}: not measured (program failed)`] });
    }
    return verdicts;
}

/**
 * The bench's exit code: 1 when a measurement failed, or when a target is NOT met and targets are
 * enforced (the default; --no-targets reports without failing); else 0.
 */
export function exitCode(verdicts: Verdict[], results: SizeResult[], options: { targets: boolean }): number {
    if (results.some((r) => r.error !== undefined || r.floor?.error !== undefined)) return 1;
    if (options.targets && verdicts.some((v) => v.met === false)) return 1;
    return 0;
}
