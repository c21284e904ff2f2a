// The runtime half, proven by Kyverno itself: the real Kyverno CLI runs the ClusterPolicies the
// program registers (dev: Audit, prod: Enforce) over every runtime rule's fixtures, the same cases
// the CrossGuard specs assert, and must reach CrossGuard's verdict on every one.
import { expect } from "chai";
import * as fs from "fs";
import { TOOLS } from "../components/versions";
import { POD_KINDS } from "../policy-pack/catalog/runtime/pod";
import { runtimeRules } from "../policy-pack/catalog";
import { agrees, PARITY_STACKS, parityTable, runStacks } from "../scripts/readme/kyverno-parity";
import type { StackRun, Verdict } from "../scripts/readme/kyverno-parity";
import { README, readSection } from "../scripts/readme/main";
import { requireTool } from "./tools";

const show = (v: Verdict) => `${v.rule} on ${v.resource} (${v.fixtureRule}: ${v.title}): CrossGuard ${v.crossGuard}, Kyverno ${v.kyverno} ${v.messages.join(" / ")}`;

describe("Kyverno CLI: the runtime half agrees with CrossGuard", function () {
    this.timeout(900_000);
    let runs: StackRun[] = [];

    before(async function () {
        const binary = requireTool(this, "kyverno");
        const started = Date.now();
        runs = await runStacks(binary);
        const seconds = (ms: number) => (ms / 1000).toFixed(1);
        process.stdout.write(
            `      Kyverno ${TOOLS.kyverno.version}: ${runs.map((r) => `${r.stack} ${r.resourceCount} fixtures × ${r.policies.length} policies in ${seconds(r.kyvernoMs)} s`).join(", ")} (in parallel); whole run ${seconds(Date.now() - started)} s\n`,
        );
    });

    const run = (stack: string) => runs.find((r) => r.stack === stack)!;

    for (const stack of PARITY_STACKS) {
        describe(stack, () => {
            it("loads every ClusterPolicy without an error or warning", () => {
                const r = run(stack);
                expect(r.stderr, "kyverno apply wrote to stderr").to.equal("");
                expect(r.stdout).to.not.match(/Policies Skipped|Invalid Policies|policy validation error/);
                expect(r.evaluatedPolicies).to.deep.equal(runtimeRules.map((rule) => rule.id).sort());
                // Exit code 1 means "some resource failed", which the bad fixtures must; anything else is a crash.
                expect(r.exitCode).to.equal(1);
                expect(r.verdicts.filter((v) => v.kyverno === "error" || v.kyverno === "warn").map(show)).to.deep.equal([]);
            });

            it(`renders every rule with failureAction ${stack === "dev" ? "Audit" : "Enforce"}`, () => {
                const actions = run(stack).policies.flatMap((p) => (p.spec as { rules: { validate: { failureAction: string } }[] }).rules.map((rule) => rule.validate.failureAction));
                expect([...new Set(actions)]).to.deep.equal([stack === "dev" ? "Audit" : "Enforce"]);
            });

            it("reaches CrossGuard's verdict on every fixture of every runtime rule", () => {
                const own = run(stack).verdicts.filter((v) => v.rule === v.fixtureRule);
                expect(new Set(own.map((v) => v.fixtureRule))).to.deep.equal(new Set(runtimeRules.map((rule) => rule.id)));
                expect(own.filter((v) => !agrees(v)).map(show)).to.deep.equal([]);
            });

            it("reaches CrossGuard's verdict for every workload rule on every other workload rule's fixtures", () => {
                const cross = run(stack).verdicts.filter((v) => v.rule !== v.fixtureRule);
                expect(cross).to.not.be.empty;
                expect(cross.filter((v) => !agrees(v)).map(show)).to.deep.equal([]);
            });

            it("exercises both verdicts of every rule", () => {
                const thin = runtimeRules.filter((rule) => {
                    const own = run(stack).verdicts.filter((v) => v.rule === rule.id && v.fixtureRule === rule.id);
                    return !own.some((v) => v.kyverno === "fail") || !own.some((v) => v.kyverno !== "fail");
                });
                expect(thin.map((rule) => rule.id)).to.deep.equal([]);
            });

            it("judges every pod controller through Kyverno's auto-gen rules, and Pods through the rules themselves", () => {
                const failing = run(stack).verdicts.filter((v) => v.kyverno === "fail" && v.rule !== "disallow-default-namespace");
                for (const kind of POD_KINDS) {
                    const ofKind = failing.filter((v) => v.kind === kind);
                    expect(ofKind, kind).to.not.be.empty;
                    const ruleNames = ofKind.flatMap((v) => v.messages.map((m) => m.slice(0, m.indexOf(":"))));
                    const autogen = ruleNames.filter((name) => name.startsWith("autogen-"));
                    expect(autogen.length, `${kind}: rules ${[...new Set(ruleNames)].join(", ")}`).to.equal(kind === "Pod" ? 0 : ruleNames.length);
                    if (kind === "CronJob") expect(autogen.every((name) => name.startsWith("autogen-cronjob-"))).to.equal(true);
                }
            });

            it("sends Kyverno every fixture the API server would admit; the ones its schema rejects are CrossGuard's alone", () => {
                const r = run(stack);
                expect(r.resourceCount + r.rejected.length).to.equal(runs[0].resourceCount + runs[0].rejected.length);
                for (const rejected of r.rejected) expect(rejected.reason, `${rejected.rule}: ${rejected.title}`).to.match(/must /);
                expect(r.resourceCount).to.be.greaterThan(10 * r.rejected.length);
            });
        });
    }

    it("keeps the README's parity table current (npm run readme regenerates it from this run)", () => {
        expect(readSection(fs.readFileSync(README, "utf8"), "parity")).to.equal(parityTable(runs, TOOLS.kyverno.version));
    });
});
