using System.Text.Json.Nodes;
using Jint.Native;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// The scope of one call of the evaluator, turned into JavaScript values lazily: only the names a piece
/// of code mentions are converted, and each at most once per call (a template with many expressions
/// converts <c>inputs</c> once).
/// </summary>
internal sealed class ScopeBinding
{
    private readonly JsValue?[] _core = new JsValue?[CompiledCode.CoreParameters];
    private Dictionary<string, JsValue>? _locals;
    private EngineHost? _host;

    public ScopeBinding(ExpressionScope scope)
    {
        Scope = scope;
        LocalNames = scope.HasLocals ? scope.Locals.Select(kv => kv.Key).ToArray() : [];
        LocalsKey = LocalNames.Length == 0 ? "" : string.Join(',', LocalNames);
    }

    public ExpressionScope Scope { get; }

    public string[] LocalNames { get; }

    public string LocalsKey { get; }

    public JsValue[] Arguments(EngineHost host, CompiledCode code)
    {
        if (!ReferenceEquals(host, _host))
        {
            // A new engine (the first call, or one replaced after a limit was hit): values of another engine are not valid here.
            Array.Clear(_core);
            _locals = null;
            _host = host;
        }

        var args = new JsValue[CompiledCode.CoreParameters + code.Locals.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (!code.Uses[i])
            {
                args[i] = JsValue.Undefined;
                continue;
            }

            if (i < CompiledCode.CoreParameters)
            {
                args[i] = _core[i] ??= i == StepsIndex && Scope.SharedStepViews is { } views ? StepsToJs(host, views) : host.ToJs(Core(i));
                continue;
            }

            var name = code.Locals[i - CompiledCode.CoreParameters];
            _locals ??= new Dictionary<string, JsValue>(StringComparer.Ordinal);
            if (!_locals.TryGetValue(name, out var value))
                _locals[name] = value = host.ToJs(Scope.Locals[name]);
            args[i] = value;
        }

        return args;
    }

    /// <summary>Forgets converted values (after a script may have changed them).</summary>
    public void Invalidate()
    {
        Array.Clear(_core);
        _locals = null;
    }

    private const int StepsIndex = 2;

    /// <summary>The shared step views converted straight into a new JavaScript object (the views are only read).</summary>
    private static JsValue StepsToJs(EngineHost host, StepViewTable views)
    {
        var steps = host.NewObject();
        for (var i = 0; i < views.Count; i++)
        {
            if (views.ViewAt(i) is { } view) steps.CreateDataProperty(views.IdAt(i), host.ToJs(view.Json));
        }
        return steps;
    }

    private JsonObject Core(int index) => index switch
    {
        0 => Scope.Inputs,
        1 => Scope.Variables,
        2 => Scope.Steps,
        _ => Scope.Instance,
    };
}
