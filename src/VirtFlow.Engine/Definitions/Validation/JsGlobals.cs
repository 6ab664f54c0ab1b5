namespace VirtFlow.Engine.Definitions.Validation;

/// <summary>The names every expression may use besides its scope: JavaScript's standard globals and VirtFlow's helpers.</summary>
internal static class JsGlobals
{
    public static readonly HashSet<string> Scope = new(StringComparer.Ordinal) { "inputs", "vars", "steps", "instance" };

    public static readonly HashSet<string> Helpers = new(StringComparer.Ordinal) { "duration", "now", "json" };

    public static readonly HashSet<string> Standard = new(StringComparer.Ordinal)
    {
        "globalThis", "Infinity", "NaN", "undefined", "isFinite", "isNaN", "parseFloat", "parseInt",
        "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
        "AggregateError", "Array", "ArrayBuffer", "AsyncDisposableStack", "AsyncIterator", "Atomics", "BigInt",
        "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "DisposableStack", "Error", "EvalError",
        "FinalizationRegistry", "Float16Array", "Float32Array", "Float64Array", "Function", "Int8Array",
        "Int16Array", "Int32Array", "Intl", "Iterator", "JSON", "Map", "Math", "Number", "Object", "Promise",
        "Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String",
        "SuppressedError", "Symbol", "SyntaxError", "TypeError", "Uint8Array", "Uint8ClampedArray", "Uint16Array",
        "Uint32Array", "URIError", "WeakMap", "WeakRef", "WeakSet", "arguments",
    };
}
