import { parse, stringify } from "yaml";

export type FieldKind = "text" | "number" | "boolean" | "enum" | "yaml";

/** How a catalog input of this type is edited. */
export function kindOf(type: string, hasEnum: boolean): FieldKind {
  if (hasEnum) return "enum";
  switch (type.toLowerCase()) {
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
    case "object":
    case "any":
      return "yaml";
    default:
      return "text";
  }
}

/** The text a field shows for a value. */
export function toFieldText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
}

/** The value a field's text stands for; `undefined` when the text is empty (the key is removed); throws on bad YAML. */
export function fromFieldText(text: string, kind: FieldKind): unknown {
  if (text.trim() === "") return undefined;
  if (text.includes("${")) return text;
  switch (kind) {
    case "number":
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "yaml": {
      const v: unknown = parse(text);
      return v;
    }
    default:
      return text;
  }
}
