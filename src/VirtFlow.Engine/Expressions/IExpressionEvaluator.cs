using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Expressions;

/// <summary>
/// Evaluates JavaScript (Jint, sandboxed: time, memory, recursion and statement limits; no CLR, file
/// or network access) against a scope. Templates are JSON values whose strings may contain
/// <c>${ expr }</c>: a string that is exactly one <c>${ expr }</c> yields the expression's value with
/// its JSON type; otherwise the parts are interpolated into a string.
/// </summary>
public interface IExpressionEvaluator
{
    /// <summary>Evaluates one expression (without the <c>${ }</c>). Throws <see cref="ExpressionException"/>.</summary>
    JsonNode? Evaluate(string expression, ExpressionScope scope);

    /// <summary>
    /// Evaluates a template (any JSON value, strings may hold <c>${ }</c>), recursively. The template is only read: the
    /// result is a new node that shares nothing with it.
    /// </summary>
    JsonNode? EvaluateTemplate(JsonNode? template, ExpressionScope scope);

    /// <summary>Evaluates a template string and returns JavaScript truthiness.</summary>
    bool EvaluateCondition(string template, ExpressionScope scope);

    /// <summary>
    /// Runs a script (statements; its last expression or <c>return</c> value is the result). The script
    /// may assign <c>vars.NAME</c>; the changed variables are written back to <see cref="ExpressionScope.Variables"/>.
    /// </summary>
    JsonNode? RunScript(string script, ExpressionScope scope);

    /// <summary>Syntax errors of an expression or script, with 1-based line/column inside it; empty when valid.</summary>
    IReadOnlyList<ExpressionSyntaxError> CheckSyntax(string code, bool isScript);
}

/// <summary>A syntax error inside a piece of JavaScript (line and column 1-based, relative to the code).</summary>
public sealed record ExpressionSyntaxError(string Message, int Line, int Column);

/// <summary>
/// The names visible to an expression: <c>inputs</c>, <c>vars</c>, <c>steps</c> (id → <c>{ status, outputs, error }</c>),
/// <c>instance</c> (<c>{ id, workflow, correlationId }</c>) and <see cref="Locals"/> (loop variables, <c>error</c> in a catch).
/// </summary>
public sealed class ExpressionScope
{
    private JsonObject? _steps;
    private StepViewTable? _stepViews;
    private JsonObject? _locals;

    // Each name's empty object is made only when it is read unset: a scope made by the runtime sets them all.
    public JsonObject Inputs { get => field ??= new(); init; }
    public JsonObject Variables { get => field ??= new(); init; }

    /// <summary>
    /// The steps' views as one object. A scope made by the runtime holds views shared with other scopes instead
    /// (<see cref="SharedStepViews"/>): this object is then a private copy of them, made on first use.
    /// </summary>
    public JsonObject Steps
    {
        get => _steps ??= CopyOfViews();
        init => _steps = value;
    }

    public JsonObject Instance { get => field ??= new(); init; }
    public JsonObject Locals { get => _locals ??= new(); init => _locals = value; }

    /// <summary>Sets <see cref="Locals"/> from the runtime: null when there are none (no object is made for them).</summary>
    internal JsonObject? LocalsIfAny { init => _locals = value; }

    /// <summary>True when some local is set (an unset or empty <see cref="Locals"/> is not built to tell).</summary>
    internal bool HasLocals => _locals is { Count: > 0 };

    /// <summary>
    /// The runtime's per-step views (id → <c>{ status, outputs, ... }</c>), made once per change of a step and shared by
    /// every scope that sees that step as it is; nobody changes them. The table itself is this scope's own.
    /// </summary>
    internal StepViewTable? SharedStepViews
    {
        get => _steps is null ? _stepViews : null;
        init => _stepViews = value;
    }

    /// <summary>Replaces one step's view in this scope only.</summary>
    internal void SetStepView(string stepId, SharedStepView view)
    {
        if (_steps is null && _stepViews is not null) _stepViews.Set(stepId, view);
        else Steps[stepId] = view.ToJson();
    }

    private JsonObject CopyOfViews()
    {
        var copy = new JsonObject();
        if (_stepViews is not null)
        {
            for (var i = 0; i < _stepViews.Count; i++)
            {
                if (_stepViews.ViewAt(i) is { } view) copy[_stepViews.IdAt(i)] = view.ToJson();
            }
        }
        return copy;
    }

    /// <summary>For error messages: the step evaluating, e.g. <c>mirror</c>.</summary>
    public string? StepId { get; init; }
}

/// <summary>An expression failed to parse or run. The message names the step and the expression.</summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(string message, string expression, string? stepId, Exception? inner = null)
        : base(message, inner)
    {
        Expression = expression;
        StepId = stepId;
    }

    public string Expression { get; }
    public string? StepId { get; }
}
