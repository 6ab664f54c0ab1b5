import { parse, Scalar, stringify } from "yaml";

/** Whether `text` read as a YAML plain scalar gives back exactly `value`. */
function readsBackAs(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/**
 * One-line YAML text for `value`, fit to stand where a value stands (block or flow context). Keeps the quoting style
 * the value had before (`previous`) when that style can hold the new value; multi-line strings and collections become
 * one-line double-quoted / flow text, so the edit never touches lines around it.
 */
export function inlineYaml(value: unknown, flow: boolean, previous?: Scalar.Type | undefined): string {
  if (typeof value === "string") {
    if (previous === Scalar.QUOTE_DOUBLE || value.includes("\n")) return JSON.stringify(value);
    if (previous === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
    const plain = value;
    const flowUnsafe = flow && /[,[\]{}]/.test(plain);
    if (plain !== "" && !flowUnsafe && !/^\s|\s$|: |\s#|^[-?:,[\]{}#&*!|>'"%@`]/.test(plain) && readsBackAs(plain, value)) return plain;
    return JSON.stringify(value);
  }
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return stringify(value, { collectionStyle: "flow", lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }).trimEnd();
}

/** Block YAML for `value` (a mapping's pairs or a sequence's items), every line prefixed with `indent`, ending in a newline. */
export function blockYaml(value: unknown, indent: string): string {
  const text = stringify(value, { lineWidth: 0, indentSeq: true, defaultKeyType: "PLAIN" });
  return text.split("\n").filter((l, i, all) => i < all.length - 1 || l !== "").map(l => (l === "" ? l : indent + l)).join("\n") + "\n";
}
