using System.Collections.Concurrent;
using System.Text;
using Acornima.Ast;
using Jint;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Compiled code shared by every thread, keyed by kind, text and local names. Bounded: when full it is
/// emptied at once (cheap, and a working set that fits is rebuilt in a few milliseconds).
/// Compiling checks the author's code on its own first, so the wrapper can never be broken out of.
/// </summary>
internal sealed class CodeCache
{
    private readonly ConcurrentDictionary<CodeKey, CompiledCode> _entries = new();
    private readonly int _capacity;

    public CodeCache(int capacity) => _capacity = Math.Max(16, capacity);

    public int Count => _entries.Count;

    /// <summary>The compiled code; throws Acornima's <c>ParseErrorException</c> (positions relative to <paramref name="code"/>) on a syntax error.</summary>
    public CompiledCode Get(CodeKind kind, string code, string[] locals, string localsKey)
    {
        var key = new CodeKey(kind, code, localsKey);
        if (_entries.TryGetValue(key, out var compiled))
            return compiled;
        compiled = Compile(kind, code, locals);
        if (_entries.Count >= _capacity)
            _entries.Clear();
        _entries[key] = compiled;
        return compiled;
    }

    private static CompiledCode Compile(CodeKind kind, string code, string[] locals)
    {
        var parameters = string.Join(',', CompiledCode.CoreNames.Concat(locals));
        string prefix, source;
        bool straight;
        if (kind == CodeKind.Expression)
        {
            straight = StraightCode.Is(JsSyntax.ParseExpression(code));
            prefix = $"(function({parameters}){{return(";
            source = prefix + code + "\n)})";
        }
        else
        {
            var parsed = JsSyntax.ParseScript(code);
            straight = StraightCode.Is(parsed);
            var body = ReturnLastExpression(code, parsed);
            prefix = $"(function({parameters}){{return[(function(){{";
            source = prefix + body + "\n}).call(undefined),vars]})";
        }

        var script = Jint.Engine.PrepareScript(source, null, strict: true);
        var all = CompiledCode.CoreNames.Concat(locals).ToArray();
        var usesArguments = Mentions(code, "arguments");
        var uses = all.Select(name => usesArguments || Mentions(code, name)).ToArray();
        return new CompiledCode(kind, code, locals, script, prefix.Length, uses, straight);
    }

    /// <summary>A script whose last statement is an expression returns its value (like a REPL).</summary>
    private static string ReturnLastExpression(string code, Script script)
    {
        if (script.Body.Count == 0 || script.Body[^1] is not ExpressionStatement last || last is Directive)
            return code;
        return new StringBuilder(code).Insert(last.Start, "return ").ToString();
    }

    /// <summary>True when <paramref name="name"/> appears in the code as a whole word (a safe over-approximation of "is used").</summary>
    internal static bool Mentions(string code, string name)
    {
        var at = 0;
        while ((at = code.IndexOf(name, at, StringComparison.Ordinal)) >= 0)
        {
            var before = at == 0 ? ' ' : code[at - 1];
            var afterIndex = at + name.Length;
            var after = afterIndex >= code.Length ? ' ' : code[afterIndex];
            if (!IsIdentifierChar(before) && !IsIdentifierChar(after))
                return true;
            at = afterIndex;
        }

        return false;
    }

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || c > 127;
}
