// `npm run plan -- --stack <name>`: an offline `pulumi preview`. Runs the real program under
// Pulumi's mock runtime with the stack's config (secure values stay opaque), prints the resource
// tree and counts, and evaluates the policy pack's own policies with the stack's policy-pack
// config. With --render, every chart the stack installs is rendered with real Helm and what it
// deploys is judged too (scripts/lib/render/). Exit codes: 0 clean (advisory findings allowed),
// 1 a mandatory rule is violated or (--render) a chart fails or renders an invalid object,
// 2 bad usage or bad config, 3 the program itself failed.
import * as fs from "fs";
import { Command, CommanderError, Option } from "commander";
import { renderJson, renderMarkdown, renderText } from "./lib/plan/render";
import { EXIT, PlanUsageError, plan } from "./lib/plan/run";
import { PROJECT_ROOT } from "./lib/stack-file";
import { RENDER_KUBERNETES_VERSION } from "../components/versions";

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

Examples:
  npm run plan -- --stack dev
  npm run plan -- --stack prod --details --out plan-out/prod --diagram plan-out/prod.mmd
  npm run plan -- --stack dev --format json > plan-dev.json
  npm run plan -- --stack prod --render --charts ./charts-mirror --out plan-out/prod`;

interface CliOptions {
    stack: string;
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
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command("plan")
        .description("offline preview of a stack: resource tree, counts and policy-pack findings, without a cluster or the Pulumi CLI")
        .requiredOption("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml is planned, e.g. dev")
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
        .addHelpText("after", HELP_AFTER)
        .showHelpAfterError("(run with --help for usage)")
        .exitOverride();
    let options: CliOptions;
    try {
        program.parse(argv, { from: "user" });
        options = program.opts<CliOptions>();
    } catch (error) {
        if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.clean : EXIT.usage;
        throw error;
    }
    try {
        const { render: renderCharts, charts, kubeVersion, ...rest } = options;
        const report = await plan({ ...rest, details: options.details ?? false, render: renderCharts ? { charts, kubeVersion } : undefined });
        const render = { text: renderText, json: renderJson, markdown: renderMarkdown }[options.format];
        process.stdout.write(render(report));
        if (options.summary) fs.writeFileSync(options.summary, renderMarkdown(report));
        return report.exitCode;
    } catch (error) {
        if (error instanceof PlanUsageError) {
            process.stderr.write(`error: ${error.message}\n${error.problems.map((p) => `  - ${p}\n`).join("")}`);
            return EXIT.usage;
        }
        process.stderr.write(`error: the program failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        return 3;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
