// The tenant subcommands. Each lives in its own module and returns a commander Command, so a new
// one (e.g. `kubeconfig`) is one file plus one line here.
import type { Command } from "commander";
import { addCommand } from "./add";
import { appCommand } from "./app";
import { kubeconfigCommand } from "./kubeconfig";
import { listCommand } from "./list";
import type { Io } from "./options";
import { removeCommand } from "./remove";
import { repoCommand } from "./repo";
import { setCommand } from "./set";
import { showCommand } from "./show";

export { UsageError } from "./errors";
export type { Io } from "./options";

export const subcommands: ((io: Io) => Command)[] = [addCommand, setCommand, appCommand, repoCommand, removeCommand, showCommand, listCommand, kubeconfigCommand];
