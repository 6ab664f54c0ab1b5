import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** The repository's workflows/ folder (the shipped workflows and examples). */
export const workflowsDir = join(__dirname, "..", "..", "..", "workflows");

/** Every shipped workflow: its path relative to workflows/ and its text. */
export function shippedWorkflows(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push({ file: relative(workflowsDir, p), text: readFileSync(p, "utf8") });
    }
  };
  walk(workflowsDir);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** The lines that differ between two texts, as [line number in a, old, new] after a common prefix and suffix. */
export function changedLines(a: string, b: string): { removed: string[]; added: string[]; firstLine: number } {
  const x = a.split("\n");
  const y = b.split("\n");
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  return { removed: x.slice(start, endX), added: y.slice(start, endY), firstLine: start + 1 };
}
