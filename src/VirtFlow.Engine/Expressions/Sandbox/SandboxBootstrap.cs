namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Run once in every new engine: removes <c>Temporal</c> (large, unneeded) and <c>ShadowRealm</c>
/// (a way to fresh, unfrozen built-ins), defines the <c>json</c> helper, then freezes every object reachable
/// from the global object (and the intrinsics only reachable through syntax: generator, async and
/// iterator prototypes) and the global object itself. A pooled engine is shared by the evaluations of
/// many instances on one thread: nothing one of them does to built-ins or globals can reach the next.
/// </summary>
internal static class SandboxBootstrap
{
    public const string Script = """
        (function (g) {
          delete g.Temporal;
          delete g.ShadowRealm;
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
        })(globalThis);
        """;
}
