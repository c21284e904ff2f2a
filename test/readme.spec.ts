import { expect } from "chai";
import * as fs from "fs";
import { applySections, README, renderSections } from "../scripts/readme";

describe("README", function () {
    this.timeout(120_000);

    it("is current: its generated sections (diagram, plan output, resource counts, rules) match `npm run readme`", async () => {
        const committed = fs.readFileSync(README, "utf8");
        expect(applySections(committed, await renderSections())).to.equal(committed);
    });

    it("fails loudly when a generated section's markers are missing", () => {
        expect(() => applySections("# no markers\n", { rules: "x" })).to.throw(
            'README.md has no "<!-- generated:rules:start -->" … "<!-- generated:rules:end -->" section',
        );
    });

    it("names the exact test command .ci/run runs", () => {
        const ci = fs.readFileSync(".ci/run", "utf8");
        expect(ci).to.match(/^npm test$/m);
        expect(fs.readFileSync(README, "utf8")).to.match(/^npm test\s/m);
    });
});
