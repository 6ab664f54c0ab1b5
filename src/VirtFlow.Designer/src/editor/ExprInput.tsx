import { memo, useEffect, useRef, useState } from "react";

/** The text split into plain parts and `${ ... }` expressions (an unclosed one runs to the end). */
export function expressionParts(text: string): { text: string; expr: boolean }[] {
  const parts: { text: string; expr: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("${", i);
    if (start < 0) {
      parts.push({ text: text.slice(i), expr: false });
      break;
    }
    if (start > i) parts.push({ text: text.slice(i, start), expr: false });
    let depth = 0;
    let end = text.length;
    for (let j = start + 2; j < text.length; j++) {
      const ch = text[j];
      if (ch === "{") depth++;
      else if (ch === "}") {
        if (depth === 0) {
          end = j + 1;
          break;
        }
        depth--;
      }
    }
    parts.push({ text: text.slice(start, end), expr: true });
    i = end;
  }
  return parts;
}

/**
 * A text field that shows `${ }` expressions highlighted: a highlighted copy of the text lies under a transparent
 * input with the same font, so the caret and selection are the input's own. Commits on each change (the editor
 * coalesces a burst of typing into one undo step).
 */
export const ExprInput = memo(function ExprInput({ value, onChange, testid, placeholder, disabled, multiline }: {
  value: string;
  onChange: (v: string) => void;
  testid: string;
  placeholder?: string;
  disabled?: boolean;
  multiline?: boolean;
}) {
  const [local, setLocal] = useState(value);
  const focused = useRef(false);
  const mirror = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!focused.current) setLocal(value);
  }, [value]);
  const parts = expressionParts(local);
  const common = {
    value: local,
    disabled,
    placeholder,
    spellCheck: false,
    "data-testid": testid,
    className: "expr-input",
    onFocus: () => { focused.current = true; },
    onBlur: () => { focused.current = false; setLocal(value); },
    onScroll: (e: React.UIEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (mirror.current) {
        mirror.current.scrollLeft = e.currentTarget.scrollLeft;
        mirror.current.scrollTop = e.currentTarget.scrollTop;
      }
    },
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      setLocal(e.target.value);
      onChange(e.target.value);
    },
  };
  return (
    <div className={`expr ${multiline ? "multiline" : ""}`}>
      <div className="expr-mirror" ref={mirror} aria-hidden>
        {parts.map((p, i) => (p.expr ? <span key={i} className="expr-token" data-testid={`${testid}-expr`}>{p.text}</span> : <span key={i}>{p.text}</span>))}
        {"\u200b"}
      </div>
      {multiline ? <textarea rows={4} {...common} /> : <input type="text" {...common} />}
    </div>
  );
});
