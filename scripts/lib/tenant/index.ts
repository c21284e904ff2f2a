// The tenant subcommands. Each lives in its own module and returns a commander Command, so a new
// one (e.g. `kubeconfig`) is one file plus one line here.
import type { Command } from "commander";
import { addCommand } from "./add";
import { kubeconfigCommand } from "./kubeconfig";
import { listCommand } from "./list";
import type { Io } from "./options";
import { removeCommand } from "./remove";

export { UsageError } from "./errors";
export type { Io } from "./options";

export const subcommands: ((io: Io) => Command)[] = [addCommand, removeCommand, listCommand, kubeconfigCommand];
