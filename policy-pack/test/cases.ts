// One fixture set per runtime rule, shared by both enforcement points: the rule's CrossGuard spec
// asserts the exact violations of every case, and the Kyverno run (test/kyverno-parity.spec.ts)
// feeds the same manifests to the real Kyverno CLI with the ClusterPolicies the program renders,
// and demands the same verdict. A case is data, so both read the same bytes.

import { expect } from "chai";

import type { Manifest, RuleContext, RuntimeRule, Violation } from "../catalog/core/types";

/**
 * What Kyverno is given besides the object, for rules that read the admission request: an
 * UPDATE with the object as it was stored before. Cases without one are CREATE requests.
 */
export interface AdmissionRequest {
    operation: "UPDATE";
    oldObject: Manifest;
}

/** One fixture: a manifest and exactly what the rule's CrossGuard check reports for it. */
export interface Case {
    /** The `it` title: "passes …" or "fails when …"; unique within the rule. */
    title: string;
    manifest: Manifest;
    /** The exact violations under the set's `context`; `[]` means compliant. */
    violations: Violation[];
    admission?: AdmissionRequest;
}

/** Every fixture of one rule, with the settings its expectations hold for. */
export interface RuleCases {
    rule: RuntimeRule;
    context: RuleContext;
    cases: Case[];
}

/** Collects cases in the order they are written. */
export class CaseList {
    readonly cases: Case[] = [];

    /** A case: `manifest` yields exactly `violations`. */
    add(title: string, manifest: Manifest, violations: Violation[], admission?: AdmissionRequest): this {
        this.cases.push({ title, manifest, violations, ...(admission === undefined ? {} : { admission }) });
        return this;
    }
}

/** The rule's cases, built by `build` over a fresh list. */
export function ruleCases(rule: RuntimeRule, context: RuleContext, build: (cases: CaseList) => void): RuleCases {
    const list = new CaseList();
    build(list);
    const titles = list.cases.map((c) => c.title);
    const duplicated = titles.filter((title, index) => titles.indexOf(title) !== index);
    if (duplicated.length > 0) {
        throw new Error(`${rule.id}: case titles must be unique; duplicated: ${[...new Set(duplicated)].map((t) => JSON.stringify(t)).join(", ")}`);
    }
    return { rule, context, cases: list.cases };
}

/** One `it` per case: the CrossGuard check reports exactly the case's violations. */
export function itChecksCases(set: RuleCases): void {
    for (const c of set.cases) {
        it(c.title, () => {
            expect(set.rule.check(structuredClone(c.manifest), set.context)).to.deep.equal(c.violations);
        });
    }
}
