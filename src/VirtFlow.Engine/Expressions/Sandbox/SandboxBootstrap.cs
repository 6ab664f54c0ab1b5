namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Run once in every new engine, as <c>(SCRIPT)(globalThis, tooBig, maxChars)</c>. It
/// <list type="bullet">
/// <item>removes <c>Temporal</c> (large, unneeded), <c>ShadowRealm</c> (a way to fresh, unfrozen built-ins),
/// <c>Atomics</c> and <c>SharedArrayBuffer</c> (<c>Atomics.wait</c> blocks the thread for good), <c>WeakRef</c> and
/// <c>FinalizationRegistry</c> (they observe the host's garbage collector), and <c>ArrayBuffer</c>, <c>DataView</c>
/// and the typed arrays (one call allocates any size at once, out of the memory limit's sight);</item>
/// <item>bounds the built-ins whose one call can make a string far larger than their arguments
/// (<c>repeat</c>, <c>padStart</c>, <c>padEnd</c>, <c>concat</c>, <c>join</c> and so <c>Array.prototype.toString</c>,
/// <c>toLocaleString</c>, <c>replace</c>, <c>replaceAll</c>, <c>RegExp.prototype[Symbol.replace]</c>,
/// <c>JSON.stringify</c>): a result that would exceed <c>maxChars</c> calls <c>tooBig</c> (which throws the memory
/// limit) before anything is allocated, or the work is done in steps the engine's limits check;</item>
/// <item>defines the <c>json</c> helper, then freezes every object reachable from the global object (and the
/// intrinsics only reachable through syntax: generator, async and iterator prototypes) and the global object itself.</item>
/// </list>
/// A pooled engine is shared by the evaluations of many instances on one thread: nothing one of them does to
/// built-ins or globals can reach the next. It returns the bounded <c>JSON.stringify</c>, for converting results.
/// </summary>
internal static class SandboxBootstrap
{
    public const string Script = """
        (function (g, tooBig, maxChars) {
          for (const name of ['Temporal', 'ShadowRealm', 'Atomics', 'SharedArrayBuffer', 'WeakRef', 'FinalizationRegistry',
            'ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
            'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
            delete g[name];
          }
          const apply = Reflect.apply, isArray = Array.isArray, trunc = Math.trunc, SP = String.prototype, AP = Array.prototype;
          const native = { repeat: SP.repeat, padStart: SP.padStart, padEnd: SP.padEnd, concat: SP.concat,
            replace: SP.replace, replaceAll: SP.replaceAll, regExpReplace: RegExp.prototype[Symbol.replace],
            join: AP.join, stringify: JSON.stringify };
          const check = n => { if (n > maxChars) tooBig(n); };
          const text = v => `${v}`;
          const define = (o, key, f) => Object.defineProperty(o, key, { value: f, writable: true, enumerable: false, configurable: true });
          const toLength = v => { const n = trunc(+v); return n > 0 ? n : 0; };
          // A string receiver converted once (so a toString is not called twice); null and undefined left for the built-in to refuse.
          const self = t => t === null || t === undefined ? t : text(t);
          const joined = (o, separator, element) => {
            const length = toLength(o.length);
            if (length === 0) return '';
            check(separator.length * (length - 1));
            let r = '';
            for (let i = 0; i < length; i++) {
              if (i > 0) r += separator;
              const e = o[i];
              if (e !== undefined && e !== null) r += element(e);
              check(r.length);
            }
            return r;
          };
          // The longest result of replacing with the text r in s (matches at most `matches`; tokens $` and $' copy up to all of s).
          const replacedLength = (s, r, matches) => {
            let outside = 0;
            for (let i = r.indexOf('$'); i >= 0 && i + 1 < r.length; i = r.indexOf('$', i + 2)) {
              if (r[i + 1] === '`' || r[i + 1] === "'") outside++;
            }
            return s.length * 2 + matches * (r.length + outside * s.length);
          };
          // A replacer function whose results, added to the length of s, may not pass maxChars.
          const counted = (s, f) => {
            let total = s.length;
            return function (...args) { const t = text(apply(f, this, args)); total += t.length; check(total); return t; };
          };
          // Replacing with `replacement` through call(replacement): checked first, or one checked call per match.
          const replacing = (s, replacement, matches, call) => {
            if (typeof replacement === 'function') return call(counted(s, replacement));
            const r = text(replacement);
            if (replacedLength(s, r, matches) <= maxChars) return call(r);
            if (r.indexOf('$') < 0) return call(counted(s, () => r));
            check(replacedLength(s, r, matches));
            return call(r);
          };
          const m = {
            repeat(count) {
              const s = self(this), n = +count;
              if (typeof s === 'string' && n >= 1 && n < Infinity) check(s.length * trunc(n));
              return apply(native.repeat, s, [n]);
            },
            padStart(maxLength, fillString) {
              const s = self(this), n = toLength(maxLength), f = fillString === undefined ? fillString : text(fillString);
              if (typeof s === 'string' && n > s.length && f !== '') check(n);
              return apply(native.padStart, s, [n, f]);
            },
            padEnd(maxLength, fillString) {
              const s = self(this), n = toLength(maxLength), f = fillString === undefined ? fillString : text(fillString);
              if (typeof s === 'string' && n > s.length && f !== '') check(n);
              return apply(native.padEnd, s, [n, f]);
            },
            concat(...parts) {
              const s = self(this);
              const texts = apply(AP.map, parts, [text]);
              if (typeof s === 'string') check(apply(AP.reduce, texts, [(n, t) => n + t.length, s.length]));
              return apply(native.concat, s, texts);
            },
            replace(searchValue, replaceValue) {
              const s = self(this);
              if (typeof s !== 'string' || (searchValue !== null && typeof searchValue === 'object') || typeof searchValue === 'function')
                return apply(native.replace, s, [searchValue, replaceValue]);
              const p = text(searchValue);
              return replacing(s, replaceValue, 1, r => apply(native.replace, s, [p, r]));
            },
            replaceAll(searchValue, replaceValue) {
              const s = self(this);
              if (typeof s !== 'string' || (searchValue !== null && typeof searchValue === 'object') || typeof searchValue === 'function')
                return apply(native.replaceAll, s, [searchValue, replaceValue]);
              const p = text(searchValue);
              return replacing(s, replaceValue, s.length + 1, r => apply(native.replaceAll, s, [p, r]));
            },
            [Symbol.replace](string, replaceValue) {
              const rx = this, s = text(string);
              return replacing(s, replaceValue, s.length + 1, r => apply(native.regExpReplace, rx, [s, r]));
            },
            join(separator) {
              if (this === null || this === undefined) return apply(native.join, this, [separator]);
              return joined(Object(this), separator === undefined ? ',' : text(separator), text);
            },
            toLocaleString() {
              if (this === null || this === undefined) return apply(native.join, this, []);
              return joined(Object(this), ',', e => text(e.toLocaleString()));
            },
            stringify(value, replacer, space) {
              if (typeof replacer === 'function')
                return apply(native.stringify, JSON, [value, function (k, v) { return apply(replacer, this, [k, v]); }, space]);
              if (isArray(replacer)) {
                // A property list: first a checked pass keeping the same keys (its text is as long as the result), then the real one.
                const keys = new Set(apply(AP.map, replacer, [text]));
                apply(native.stringify, JSON, [value, function (k, v) { return k === '' || isArray(this) || keys.has(k) ? v : undefined; }, space]);
                return apply(native.stringify, JSON, [value, replacer, space]);
              }
              return apply(native.stringify, JSON, [value, function (k, v) { return v; }, space]);
            },
          };
          for (const key of ['repeat', 'padStart', 'padEnd', 'concat', 'replace', 'replaceAll']) define(SP, key, m[key]);
          define(AP, 'join', m.join);
          define(AP, 'toLocaleString', m.toLocaleString);
          define(JSON, 'stringify', m.stringify);
          define(RegExp.prototype, Symbol.replace, m[Symbol.replace]);
          Object.defineProperty(g, 'json', {
            value: function json(value, indent) { const s = JSON.stringify(value === undefined ? null : value, null, indent); return s; },
            writable: false, enumerable: false, configurable: false
          });
          const roots = [g, function* () {}, async function () {}, async function* () {}, (function* () {})(),
            [][Symbol.iterator](), ''[Symbol.iterator](), new Map().entries(), new Set().values(), /x/g[Symbol.matchAll]('x'),
            Promise.resolve(), (function () { return arguments; })()];
          const seen = new Set();
          const stack = roots.slice();
          while (stack.length > 0) {
            const o = stack.pop();
            if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
            seen.add(o);
            Object.freeze(o);
            stack.push(Object.getPrototypeOf(o));
            for (const key of Reflect.ownKeys(o)) {
              const d = Object.getOwnPropertyDescriptor(o, key);
              if (d === undefined) continue;
              if ('value' in d) stack.push(d.value); else { stack.push(d.get); stack.push(d.set); }
            }
          }
          return m.stringify;
        })
        """;
}
