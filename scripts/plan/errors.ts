// Bad usage or bad config: the plan stops before or instead of planning, exit code 2.
export class PlanUsageError extends Error {
    constructor(message: string, readonly problems: string[] = []) {
        super(message);
        this.name = "PlanUsageError";
    }
}
