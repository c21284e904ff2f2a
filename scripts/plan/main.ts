// `npm run plan -- --stack <name>`: an offline `pulumi preview`. Runs the real program under
// Pulumi's mock runtime with the stack's config (secure values stay opaque), prints the resource
// tree and counts, and evaluates the policy pack's own policies with the stack's policy-pack
// config. With --render, every chart the stack installs is rendered with real Helm and what it
// deploys is judged too (render/). Exit codes: 0 clean (advisory findings allowed),
// 1 a mandatory rule is violated or (--render) a chart fails or renders an invalid object,
// 2 bad usage or bad config, 3 the program itself failed. With --diff it compares two plans
// instead (diff/run.ts) and exits 0 once they are compared.
import * as fs from "fs";
import { Command, Option } from "commander";
import { parseArguments } from "../cli";
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from "./diff/render";
import { diffPlan } from "./diff/run";
import { renderJson, renderMarkdown, renderText } from "./output";
import { EXIT, PlanUsageError, plan } from "./run";
import { Progress } from "../progress";
import { PROJECT_ROOT } from "../stack-file";
import { RENDER_KUBERNETES_VERSION } from "../../components/versions";

const HELP_AFTER = `
Exit codes:
  0  clean: no mandatory violation (advisory findings and exemptions are allowed)
  1  a mandatory policy is violated (not exempted); with --render also: a chart fails to render
     (values schema, template error) or renders an object the API server would refuse
  2  bad usage, or a stack / policy-pack config that does not validate (its problems are listed);
     with --render also: no usable helm, or a --charts mirror that lacks a chart (each missing
     chart is named with the \`helm pull\` command that fetches it)
  3  the program failed for another reason (stack trace on stderr)

Render: --render runs \`helm template\` (HELM, else .tools/, else PATH; Helm 3, pinned in
  components/versions.ts) for every chart with exactly the values the program registers, checks
  every object as the API server would, validates custom resources against the CRDs the charts
  install, and runs the policy pack over every object helm.v4.Chart registers. Charts come from
  their repositories, or with --charts DIR from a mirror of <chart>-<version>.tgz files or
  <chart>-<version>/ directories (see the README for \`helm pull\` commands).

Diagram: --diagram writes Mermaid source (.mmd). No renderer is installed here; for an SVG run
  npx @mermaid-js/mermaid-cli -i platform.mmd -o platform.svg
(it downloads a headless browser).

Diff: --diff compares the stack with itself at another commit (its config and its program, from
a temporary git worktree) and lists what would be added, deleted and changed, per resource, with
the changed inputs' old and new values (secrets masked; protected deletions marked). Without a
value it compares with the merge base of HEAD and the default branch (origin/HEAD, else main).
A value that names an existing file is a plan saved with --format json instead of a git ref;
--diff-to <file> then takes the newer side from a second saved plan (no --stack needed). Saved
plans hold no secret values, so between them a secret's change is not visible. The comparison
exits 0; --summary writes it as Markdown.

Examples:
  npm run plan -- --stack dev
  npm run plan -- --stack prod --details --out plan-out/prod --diagram plan-out/prod.mmd
  npm run plan -- --stack dev --format json > plan-dev.json
  npm run plan -- --stack prod --render --charts ./charts-mirror --out plan-out/prod
  npm run plan -- --stack prod --diff                       # what this branch changes in prod
  npm run plan -- --stack prod --diff v1.4.0 --format markdown
  npm run plan -- --diff plan-old.json --diff-to plan-new.json`;

interface CliOptions {
    stack?: string;
    root: string;
    policyConfig?: string;
    details?: boolean;
    format: "text" | "json" | "markdown";
    out?: string;
    diagram?: string;
    summary?: string;
    render?: boolean;
    charts?: string;
    kubeVersion?: string;
    diff?: string | true;
    diffTo?: string;
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command("plan")
        .description("offline preview of a stack: resource tree, counts and policy-pack findings, without a cluster or the Pulumi CLI")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml is planned, e.g. dev (required)")
        .addOption(new Option("--root <dir>", "directory holding the stack files").default(PROJECT_ROOT, "this project"))
        .option("--policy-config <file>", "--policy-pack-config file (default: policy-pack/config/<platform.environment>.json)")
        .option("--details", "show each resource's key inputs (secrets masked)")
        .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
        .option("--out <dir>", "write every Kubernetes object and chart's values as YAML into <dir> (replaced on each run)")
        .option("--diagram <file>", "write a Mermaid diagram of hub, add-ons, tenants and add-on rollout (.mmd)")
        .option("--summary <file>", "also write a Markdown summary (for a pull-request comment) to <file>")
        .option("--render", "render every chart with real helm and judge what it deploys (objects, CRDs, policies)")
        .addOption(new Option("--charts <dir>", "with --render: take charts from this mirror (<chart>-<version>.tgz or <chart>-<version>/) instead of their repositories").implies({ render: true }))
        .addOption(new Option("--kube-version <version>", "with --render: the Kubernetes version charts render for").default(RENDER_KUBERNETES_VERSION))
        .option("--diff [ref-or-plan]", "compare with the stack at a git ref (default: the merge base with the default branch) or with a plan saved by --format json")
        .option("--diff-to <plan>", "with --diff <plan.json>: compare with this saved plan instead of the stack as it is now")
        .addHelpText("after", HELP_AFTER)
        .showHelpAfterError("(run with --help for usage)")
        .exitOverride();
    const answered = parseArguments(program, argv);
    if (answered !== undefined) return answered;
    const options = program.opts<CliOptions>();
    const progress = new Progress("plan");
    try {
        if (options.diff !== undefined || options.diffTo !== undefined) return await diff(options, progress);
        if (options.stack === undefined) {
            process.stderr.write("error: required option '-s, --stack <name>' not specified\n(run with --help for usage)\n");
            return EXIT.usage;
        }
        const { render: renderCharts, charts, kubeVersion, ...rest } = options;
        const report = await plan({ ...rest, stack: options.stack, details: options.details ?? false, render: renderCharts ? { charts, kubeVersion } : undefined, progress });
        progress.done();
        const render = { text: renderText, json: renderJson, markdown: renderMarkdown }[options.format];
        process.stdout.write(render(report));
        if (options.summary) fs.writeFileSync(options.summary, renderMarkdown(report));
        return report.exitCode;
    } catch (error) {
        progress.done();
        if (error instanceof PlanUsageError) {
            process.stderr.write(`error: ${error.message}\n${error.problems.map((p) => `  - ${p}\n`).join("")}`);
            return EXIT.usage;
        }
        process.stderr.write(`error: the program failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        return 3;
    }
}

/** `--diff`: compares two plans; the options that shape one plan's output do not apply. */
async function diff(options: CliOptions, progress: Progress): Promise<number> {
    const misplaced = (["out", "diagram", "details", "policyConfig", "render"] as const).filter((o) => options[o] !== undefined);
    if (misplaced.length > 0) {
        const flags = { out: "--out", diagram: "--diagram", details: "--details", policyConfig: "--policy-config", render: "--render" };
        throw new PlanUsageError(`--diff compares two plans; ${misplaced.map((o) => flags[o]).join(", ")} shape${misplaced.length === 1 ? "s" : ""} the output of one plan and cannot be combined with it`);
    }
    if (options.diff === undefined) throw new PlanUsageError(`--diff-to needs --diff <plan.json>, the older of the two saved plans`);
    const report = await diffPlan({ stack: options.stack, root: options.root, base: options.diff, to: options.diffTo, progress });
    progress.done();
    const render = { text: renderDiffText, json: renderDiffJson, markdown: renderDiffMarkdown }[options.format];
    process.stdout.write(render(report));
    if (options.summary) fs.writeFileSync(options.summary, renderDiffMarkdown(report));
    return EXIT.clean;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
