// The loader speaks in config paths (`tenants[3].ownerGroups is missing`); a tenant subcommand's
// user typed flags (`--owner-group`). Each subcommand declares which setting of the entry each of
// its flags and arguments writes (the same declaration drives the edit), and a refusal of the
// loader about one of those settings is said again in the flag's words.
import { UsageError } from "./errors";

/** A setting a subcommand writes: its path below the edited entry, and the flag or argument it comes from. */
export interface FlagSetting {
    /** `--owner-group`, `<name>` */
    flag: string;
    /** Below the edited entry: `ownerGroups`, `vcluster.quota.cpu`, `repos` (covers repos[0].url). */
    path: string;
    /** What to pass when the loader finds the setting missing, e.g. `at least one SSO group, e.g. --owner-group team-c-admins`. */
    required?: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function covers(setting: string, path: string): boolean {
    return path === setting || path.startsWith(`${setting}.`) || path.startsWith(`${setting}[`);
}

/** One loader problem, in the words of the flags when it is about a setting they wrote. */
export function inFlagWords(problem: string, base: string, settings: FlagSetting[]): string {
    const prefix = `${base}.`;
    let text = problem;
    if (problem.startsWith(prefix)) {
        const path = problem.slice(prefix.length).split(" ")[0];
        const setting = [...settings].sort((a, b) => b.path.length - a.path.length).find((s) => covers(s.path, path));
        if (setting) {
            const rest = problem.slice(prefix.length + path.length);
            text = /^ is missing\b/.test(rest)
                ? `${setting.flag} is required${setting.required ? `: ${setting.required}` : ""}`
                : `${setting.flag}${rest}`;
        }
    }
    // Other mentions of exactly these settings (not of something below them, such as another entry of a list).
    for (const setting of settings) {
        text = text.replace(new RegExp(`${escape(`${prefix}${setting.path}`)}(?![\\w.[])`, "g"), setting.flag);
    }
    return text;
}

/** A UsageError from the loader (save()), with its problems in the flags' words. */
export function speakInFlags(error: unknown, base: string, settings: FlagSetting[]): unknown {
    if (!(error instanceof UsageError)) return error;
    return new UsageError(error.message, error.problems.map((p) => inFlagWords(p, base, settings)));
}
