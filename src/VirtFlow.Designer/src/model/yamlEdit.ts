import { isCollection, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { blockYaml, inlineYaml } from "./yamlScalar";

/** A path into the YAML: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/**
 * Edits of a YAML text that change only the lines they are about: each edit finds the node in the parsed document
 * and splices new text into the original at that node's source range. Comments, key order, quoting, anchors and
 * blank lines anywhere else stay byte for byte (never a re-serialization of the document).
 */
export class YamlEditError extends Error {}

function parse(text: string): Document.Parsed {
  return parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The offset just past the newline that ends the line holding offset (or the text's end). */
function afterLineEnd(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The offset of the last non-space character before `end` (so a range's trailing newlines are left out). */
function lastContent(text: string, end: number): number {
  let i = end - 1;
  while (i > 0 && /\s/.test(text[i] ?? "")) i--;
  return i;
}

function nodeAt(doc: Document.Parsed, path: YamlPath): unknown {
  return path.length === 0 ? doc.contents : doc.getIn(path as (string | number)[], true);
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find(p => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

function isFlow(node: unknown): boolean {
  return isCollection(node) && (node as YAMLMap | YAMLSeq).flow === true;
}

/** The column (0-based) where a block mapping's keys start. */
function mapIndent(text: string, map: YAMLMap): string {
  const first = map.items[0];
  const keyNode = first && isPair(first) ? (first.key as Node | null) : null;
  const at = keyNode?.range?.[0] ?? map.range?.[0] ?? 0;
  return " ".repeat(at - lineStart(text, at));
}

/** Whether any ancestor on the path is a flow collection (then new text must be flow-safe). */
function inFlow(doc: Document.Parsed, path: YamlPath): boolean {
  for (let i = 0; i <= path.length; i++) if (isFlow(nodeAt(doc, path.slice(0, i)))) return true;
  return false;
}

/** Sets the value at `path`, creating missing mappings on the way. */
export function setIn(text: string, path: YamlPath, value: unknown): string {
  if (path.length === 0) throw new YamlEditError("cannot replace the whole document");
  const doc = parse(text);
  const existing = nodeAt(doc, path);
  if (existing !== undefined && existing !== null && (existing as Node).range) {
    const node = existing as Node;
    const [start, end] = node.range!;
    const flow = inFlow(doc, path.slice(0, -1));
    if (isScalar(node) && node.value === value) return text;
    if (isCollection(node) && !node.flow && !flow && value !== null && typeof value === "object") {
      // A block collection replaced by a block collection: rewrite its lines at its indentation.
      const from = lineStart(text, start);
      const indent = " ".repeat(start - from);
      const to = afterLineEnd(text, lastContent(text, end));
      return splice(text, from, to, blockYaml(value, indent));
    }
    if (isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) && typeof value === "string") {
      // A block scalar stays one: same indicator and indentation, the new lines under it.
      const headerEnd = text.indexOf("\n", start);
      const header = text.slice(start, headerEnd).replace(/[-+]?\s*(#.*)?$/, "");
      const firstLine = text.slice(headerEnd + 1);
      const keyIndent = /^ */.exec(text.slice(lineStart(text, start)))![0].length;
      const contentIndent = " ".repeat(Math.max(keyIndent + 2, /^ */.exec(firstLine)![0].length));
      const body = value.replace(/\n$/, "").split("\n").map(l => (l === "" ? "" : contentIndent + l)).join("\n");
      const to = afterLineEnd(text, lastContent(text, end));
      return splice(text, start, to, `${header}${value.endsWith("\n") ? "" : "-"}\n${body}\n`);
    }
    const emptyFlow = isCollection(node) && node.flow && node.items.length === 0;
    const nullScalar = isScalar(node) && node.value === null;
    if ((emptyFlow || nullScalar) && !flow && value !== null && typeof value === "object") {
      // `steps: []` or `with: ~` given content: write it as a block under the key.
      const from = lineStart(text, start);
      const keyIndent = /^ */.exec(text.slice(from))![0];
      const before = text.slice(0, start).trimEnd();
      const block = blockYaml(value, keyIndent + "  ");
      return splice(text, before.length, isScalar(node) ? end : lastContent(text, end) + 1, "\n" + block.slice(0, -1));
    }
    const replacement = inlineYaml(value, flow, isScalar(node) ? node.type : undefined);
    return splice(text, start, isScalar(node) ? end : lastContent(text, end) + 1, replacement);
  }
  // Find the deepest existing mapping on the path and add the rest under it.
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const parent = nodeAt(doc, path.slice(0, depth));
    if (parent === undefined) continue;
    const key = path[depth];
    let rest: unknown = value;
    for (let i = path.length - 1; i > depth; i--) {
      const k = path[i]!;
      rest = typeof k === "number" ? [rest] : { [k]: rest };
    }
    if (isMap(parent)) return addPair(text, doc, path.slice(0, depth), parent, String(key), rest);
    if (parent === null || (isScalar(parent) && (parent.value === null || parent.value === undefined))) {
      // `with:` written with nothing after it: put a mapping there.
      return setIn(text, path.slice(0, depth), typeof key === "number" ? [rest] : { [String(key)]: rest });
    }
    throw new YamlEditError(`cannot set ${path.join(".")}: ${path.slice(0, depth).join(".") || "the document"} is not a mapping`);
  }
  throw new YamlEditError(`cannot set ${path.join(".")}`);
}

function addPair(text: string, doc: Document.Parsed, mapPath: YamlPath, map: YAMLMap, key: string, value: unknown): string {
  const keyText = inlineYaml(key, true);
  if (map.flow || inFlow(doc, mapPath)) {
    const end = map.range![1];
    const close = text.lastIndexOf("}", end);
    const before = text.slice(0, close).trimEnd();
    const empty = map.items.length === 0;
    const pad = before.endsWith("{") ? (empty ? " " : "") : "";
    return splice(text, before.length, close, `${empty ? pad : ", "}${keyText}: ${inlineYaml(value, true)} `);
  }
  if (map.items.length === 0) throw new YamlEditError("cannot add to an empty block mapping");
  const indent = mapIndent(text, map);
  const last = map.items[map.items.length - 1] as Pair;
  const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
  const at = afterLineEnd(text, lastContent(text, lastEnd));
  const needsNl = at === text.length && !text.endsWith("\n") ? "\n" : "";
  const simple = value === null || typeof value !== "object";
  const body = simple ? `${indent}${keyText}: ${inlineYaml(value, false)}\n` : `${indent}${keyText}:\n${blockYaml(value, indent + "  ")}`;
  return splice(text, at, at, needsNl + body);
}

/** Removes the key at `path` (its lines, or its part of a flow mapping). */
export function deleteIn(text: string, path: YamlPath): string {
  const doc = parse(text);
  const map = nodeAt(doc, path.slice(0, -1));
  const key = String(path[path.length - 1]);
  if (!isMap(map)) return text;
  const pair = pairOf(map, key);
  if (!pair) return text;
  const keyNode = pair.key as Node;
  const valueNode = pair.value as Node | null;
  const start = keyNode.range![0];
  const end = valueNode?.range?.[1] ?? keyNode.range![1];
  if (map.flow || inFlow(doc, path.slice(0, -2))) {
    const index = map.items.indexOf(pair);
    if (map.items.length === 1) return splice(text, start, lastContent(text, end) + 1, "");
    if (index < map.items.length - 1) {
      const next = (map.items[index + 1] as Pair).key as Node;
      return splice(text, start, next.range![0], "");
    }
    const prev = map.items[index - 1] as Pair;
    const prevEnd = (prev.value as Node | null)?.range?.[1] ?? (prev.key as Node).range![1];
    return splice(text, lastContent(text, prevEnd) + 1, lastContent(text, end) + 1, "");
  }
  if (map.items.length === 1) {
    // The mapping's last key: leave an empty flow mapping behind so the parent key keeps a mapping.
    return replaceBlockWith(text, map, "{}");
  }
  return splice(text, lineStart(text, start), afterLineEnd(text, lastContent(text, end)), "");
}

/** Replaces a block collection (on the lines after its key) with `raw` written after the key: `with: {}`. */
function replaceBlockWith(text: string, node: Node, raw: string): string {
  const from = lineStart(text, node.range![0]) - 1;
  const to = afterLineEnd(text, lastContent(text, node.range![1])) - 1;
  return splice(text, from, Math.max(from, to), " " + raw);
}

/** Inserts `item` into the sequence at `path` before `index` (or at its end); creates the sequence when missing. */
export function insertItem(text: string, path: YamlPath, index: number, item: unknown): string {
  const doc = parse(text);
  const seq = nodeAt(doc, path);
  if (seq === undefined || seq === null || (isScalar(seq) && seq.value === null) || (isSeq(seq) && seq.items.length === 0)) {
    return setIn(text, path, [item]);
  }
  if (!isSeq(seq)) throw new YamlEditError(`${path.join(".")} is not a list`);
  if (seq.flow || inFlow(doc, path)) throw new YamlEditError(`${path.join(".")} is a flow list; edit it in the YAML`);
  const first = seq.items[0] as Node;
  const firstStart = first.range![0];
  const prefix = text.slice(lineStart(text, firstStart), firstStart);
  const dash = " ".repeat(Math.max(0, prefix.indexOf("-")));
  const block = blockYaml([item], dash);
  if (index < seq.items.length) {
    const target = seq.items[Math.max(0, index)] as Node;
    // Insert before the item's own comment lines, if any, so they stay with it.
    let at = lineStart(text, target.range![0]);
    while (at > 0) {
      const prevLine = text.slice(lineStart(text, at - 1), at - 1);
      if (/^\s*#/.test(prevLine) && prevLine.indexOf("#") >= dash.length) at = lineStart(text, at - 1);
      else break;
    }
    return splice(text, at, at, block);
  }
  const last = seq.items[seq.items.length - 1] as Node;
  const at = afterLineEnd(text, lastContent(text, last.range![1]));
  const needsNl = at === text.length && !text.endsWith("\n") ? "\n" : "";
  return splice(text, at, at, needsNl + block);
}

/** Removes the item at `index` of the sequence at `path` (its lines). */
export function removeItem(text: string, path: YamlPath, index: number): string {
  const doc = parse(text);
  const seq = nodeAt(doc, path);
  if (!isSeq(seq)) throw new YamlEditError(`${path.join(".")} is not a list`);
  const item = seq.items[index] as Node | undefined;
  if (!item?.range) throw new YamlEditError(`${path.join(".")} has no item ${index + 1}`);
  if (seq.flow) throw new YamlEditError(`${path.join(".")} is a flow list; edit it in the YAML`);
  if (seq.items.length === 1) return replaceBlockWith(text, seq, "[]");
  return splice(text, lineStart(text, item.range[0]), afterLineEnd(text, lastContent(text, item.range[1])), "");
}

/** The plain value at `path` (null when missing). */
export function getIn(text: string, path: YamlPath): unknown {
  const node = nodeAt(parse(text), path);
  if (node === undefined || node === null) return null;
  return isScalar(node) ? node.value : (node as { toJSON(): unknown }).toJSON();
}

/** The text of an item as it is written (for copy and move), from the start of its line. */
export function itemText(text: string, path: YamlPath, index: number): unknown {
  const doc = parse(text);
  const seq = nodeAt(doc, path);
  if (!isSeq(seq)) return null;
  const item = seq.items[index] as Node | undefined;
  return item ? (item as { toJSON(): unknown }).toJSON() : null;
}

/** Moves an item from one list to another (or within one): the item as data, inserted where asked, then removed. */
export function moveItem(text: string, from: YamlPath, fromIndex: number, to: YamlPath, toIndex: number): string {
  const item = itemText(text, from, fromIndex);
  if (item === null) return text;
  const samePath = JSON.stringify(from) === JSON.stringify(to);
  if (samePath) {
    if (toIndex === fromIndex || toIndex === fromIndex + 1) return text;
    const removed = removeItem(text, from, fromIndex);
    return insertItem(removed, to, toIndex > fromIndex ? toIndex - 1 : toIndex, item);
  }
  // Insert first (paths stay valid while the source is still there when the target comes later in the file).
  const fromKey = JSON.stringify(from);
  const toKey = JSON.stringify(to);
  if (toKey.startsWith(fromKey.slice(0, -1) + `,${fromIndex}`)) throw new YamlEditError("cannot move a step into itself");
  const removed = removeItem(text, from, fromIndex);
  const shifted = shiftPath(to, from, fromIndex);
  return insertItem(removed, shifted, toIndex, item);
}

/** `to` after item `index` of `list` was removed: indexes past it in that list move up by one. */
function shiftPath(to: YamlPath, list: YamlPath, index: number): YamlPath {
  if (to.length <= list.length) return to;
  for (let i = 0; i < list.length; i++) if (to[i] !== list[i]) return to;
  const at = to[list.length];
  if (typeof at === "number" && at > index) return [...to.slice(0, list.length), at - 1, ...to.slice(list.length + 1)];
  return to;
}
