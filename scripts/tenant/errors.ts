// Errors the tenant command reports with exit code 2 (bad usage or a config the loader refuses).
// Nothing is written when one is thrown.
export class UsageError extends Error {
    constructor(message: string, readonly problems: string[] = []) {
        super(message);
        this.name = "UsageError";
    }
}
