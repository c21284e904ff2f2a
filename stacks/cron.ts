// Sync-window schedules, checked the way Argo CD reads them. Argo CD parses `schedule` with
// robfig/cron v3's parser for five fields plus descriptors (Minute | Hour | Dom | Month | Dow |
// Descriptor): no seconds field, no `L`, `W`, `#` or `H`, days of the week 0-6 (Sunday 0) or
// SUN-SAT, months 1-12 or JAN-DEC, and the descriptors below. Each field's values are checked by
// cron-parser; what robfig/cron refuses beyond that is checked here.
import { CronExpressionParser } from "cron-parser";

interface Field {
    name: string;
    min: number;
    max: number;
    names?: readonly string[];
}

const FIELDS: readonly Field[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
    { name: "day-of-week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/** Descriptors robfig/cron accepts besides `@every <duration>`. */
export const CRON_DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

const FORMAT = `Argo CD reads five fields: minute (0-59), hour (0-23), day-of-month (1-31), month (1-12 or JAN-DEC) and day-of-week (0-6 or SUN-SAT), e.g. "0 22 * * *", or one of ${CRON_DESCRIPTORS.join(", ")}`;

/** What is wrong with a sync-window schedule, as the end of a sentence, or undefined when Argo CD accepts it. */
export function cronScheduleProblem(schedule: string): string | undefined {
    const text = schedule.trim();
    if (text.startsWith("@")) {
        if ((CRON_DESCRIPTORS as readonly string[]).includes(text)) return undefined;
        // robfig/cron reads the rest with Go's time.ParseDuration.
        if (/^@every\s+([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
        return `is not a schedule descriptor Argo CD knows; ${FORMAT}`;
    }
    const fields = text.split(/\s+/);
    if (fields.length !== FIELDS.length) {
        return `has ${fields.length} field${fields.length === 1 ? "" : "s"}; ${FORMAT}`;
    }
    const bad = fields.flatMap((value, i) => {
        const problem = fieldProblem(value, FIELDS[i], i);
        return problem === undefined ? [] : [`${FIELDS[i].name} field ${JSON.stringify(value)} (${problem})`];
    });
    return bad.length === 0 ? undefined : `has an invalid ${bad.join(" and an invalid ")}; ${FORMAT}`;
}

function fieldProblem(value: string, field: Field, index: number): string | undefined {
    if (!/^[0-9A-Za-z*?,/-]+$/.test(value)) return `Argo CD's parser reads digits, names, "*", "?", ",", "-" and "/" only`;
    const words = value.match(/[A-Za-z]+/g) ?? [];
    for (const word of words) {
        if (!field.names?.includes(word.toUpperCase())) {
            return field.names
                ? `"${word}" is not one of ${field.names.join(", ")}`
                : `"${word}": this field takes numbers only`;
        }
    }
    // cron-parser checks the field's syntax and its numbers against the field's range.
    const probe = FIELDS.map((_, i) => (i === index ? value : "*")).join(" ");
    try {
        CronExpressionParser.parse(probe, { strict: false });
    } catch (error) {
        const reason = (error as Error).message.replace(/^Constraint error, /, "");
        return /expected range/.test(reason) ? reason : `${reason}; the ${field.name} is ${field.min}-${field.max}`;
    }
    // cron-parser also takes 7 for Sunday; robfig/cron does not.
    for (const item of value.split(",")) {
        const range = item.split("/")[0];
        for (const bound of range.split("-")) {
            if (/^[0-9]+$/.test(bound) && (Number(bound) < field.min || Number(bound) > field.max)) {
                return `got value ${bound}; the ${field.name} is ${field.min}-${field.max}`;
            }
        }
    }
    return undefined;
}
