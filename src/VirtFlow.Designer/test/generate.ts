/** A generated workflow of about `n` steps: sequences of logs with a parallel, a forEach and a try every 25 steps. */
export function generatedWorkflow(n: number): string {
  const lines = ["name: generated", "steps:"];
  let count = 0;
  let i = 0;
  while (count < n) {
    if (i % 25 === 24) {
      lines.push(`  - id: par${i}`, "    type: parallel", "    branches:");
      for (let b = 0; b < 3; b++) lines.push(`      - - id: p${i}_${b}`, "          type: log", "          with: { message: branch }");
      count += 4;
    } else if (i % 25 === 12) {
      lines.push(`  - id: t${i}`, "    type: try", "    steps:", `      - id: tb${i}`, "        type: delay", "        with: { duration: 1s }", "    finally:", `      - id: tf${i}`, "        type: log", "        with: { message: done }");
      count += 3;
    } else {
      lines.push(`  - id: s${i}`, "    type: log", "    with:", `      message: "step ${i}"`);
      count += 1;
    }
    i++;
  }
  return lines.join("\n") + "\n";
}
