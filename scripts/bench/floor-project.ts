// The floor program (floor-program.ts) runs as its own Pulumi project; the bench sets its one
// config key, `bench-floor:count`. Kept apart from floor-program.ts, which registers resources
// as soon as it is loaded.
export const FLOOR_PROJECT = "bench-floor";
