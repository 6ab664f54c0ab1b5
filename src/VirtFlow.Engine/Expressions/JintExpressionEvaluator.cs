using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime;
using VirtFlow.Engine.Expressions.Sandbox;

namespace VirtFlow.Engine.Expressions;

/// <summary>
/// <see cref="IExpressionEvaluator"/> on Jint, sandboxed: strict mode; no CLR, <c>eval</c>, <c>Function</c>,
/// <c>require</c>, file or network; no blocking or raw-memory built-ins (<c>Atomics</c>, <c>SharedArrayBuffer</c>,
/// <c>WeakRef</c>, typed arrays ...); built-ins frozen; per evaluation a time limit (enforced by a watchdog thread:
/// the caller gets the fault at the limit plus a margin whatever the code does), a memory limit (string built-ins
/// and arrays bounded by it), a call-depth limit and a statement limit (<see cref="JintExpressionOptions"/>); promise
/// jobs an evaluation leaves queued are discarded. The scope's names
/// (<c>inputs</c>, <c>vars</c>, <c>steps</c>, <c>instance</c>, locals) are the parameters of a function the
/// code is compiled into once (cached, bounded), and engines are pooled (each call borrows one, a thread
/// at a time), so a cached evaluation costs a function call plus converting the scope names the code mentions,
/// and a new thread of the pool does not pay for a new sandboxed engine.
/// Helpers: <c>duration("1h")</c> → milliseconds, <c>now()</c> → ISO timestamp, <c>json(x)</c> → JSON text.
/// Thread-safe.
/// </summary>
public sealed partial class JintExpressionEvaluator : IExpressionEvaluator, IDisposable
{
    private readonly JintExpressionOptions _options;
    private readonly CodeCache _code;
    private readonly SandboxWatchdog _watchdog;
    private readonly ConcurrentDictionary<string, ExpressionTemplate> _templates = new(StringComparer.Ordinal);
    private readonly ThreadLocal<EngineHost?> _current = new();
    private readonly System.Collections.Concurrent.ConcurrentBag<EngineHost> _idle = [];
    private readonly int _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private int _idleCount;

    public JintExpressionEvaluator()
        : this(new JintExpressionOptions())
    {
    }

    public JintExpressionEvaluator(JintExpressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _code = new CodeCache(options.CacheCapacity);
        _watchdog = new SandboxWatchdog(options.Timeout + options.WatchdogMargin, _maxIdle);
    }

    /// <inheritdoc />
    public JsonNode? Evaluate(string expression, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        using var lease = Lease();
        var binding = new ScopeBinding(scope);
        var value = Run(CodeKind.Expression, expression, binding, out var host, out var compiled);
        return ToJson(host, value, compiled, scope);
    }

    /// <inheritdoc />
    public JsonNode? EvaluateTemplate(JsonNode? template, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        using var lease = Lease();
        return Template(template, new ScopeBinding(scope));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A condition without <c>${</c> is read as a bare expression (<c>if: inputs.force</c>, or YAML's
    /// <c>if: false</c>), as in GitHub Actions; with <c>${ }</c> it is a template. Empty is false.
    /// </remarks>
    public bool EvaluateCondition(string template, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(scope);
        if (string.IsNullOrWhiteSpace(template))
            return false;
        using var lease = Lease();
        var binding = new ScopeBinding(scope);
        if (!ExpressionTemplate.MayContainExpression(template))
            return TypeConverter.ToBoolean(Run(CodeKind.Expression, template, binding, out _, out _));
        var parsed = ParseTemplate(template, scope.StepId);
        if (parsed.IsSingleExpression)
            return TypeConverter.ToBoolean(Run(CodeKind.Expression, parsed.SingleExpression.Text, binding, out _, out _));
        return TemplateString(parsed, binding) is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The script is the body of a function: <c>return</c> gives the result, and so does a last statement
    /// that is an expression. Changes to <c>vars</c> (assigned, added, deleted, or <c>vars</c> replaced
    /// by another object) are written back to <see cref="ExpressionScope.Variables"/>.
    /// </remarks>
    public JsonNode? RunScript(string script, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(scope);
        using var lease = Lease();
        var binding = new ScopeBinding(scope);
        var pair = Run(CodeKind.Script, script, binding, out var host, out var compiled).AsObject();
        var result = ToJson(host, pair.Get(JsNumber.Create(0)), compiled, scope);
        if (compiled.Uses[1])
            WriteBackVariables(host, pair.Get(JsNumber.Create(1)), compiled, scope);
        return result;
    }

    /// <inheritdoc />
    public IReadOnlyList<ExpressionSyntaxError> CheckSyntax(string code, bool isScript)
    {
        ArgumentNullException.ThrowIfNull(code);
        return JsSyntax.Check(code, isScript);
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var host)) host.Dispose();
        _current.Dispose();
        _watchdog.Dispose();
    }

    private JsonNode? Template(JsonNode? node, ScopeBinding binding)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                for (var i = 0; i < obj.Count; i++)
                {
                    var (key, value) = obj.GetAt(i);
                    copy[key] = Template(value, binding);
                }
                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                    items.Add(Template(item, binding));
                return items;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String
                                  && v.TryGetValue<string>(out var text)
                                  && ExpressionTemplate.MayContainExpression(text):
                return TemplateString(ParseTemplate(text, binding.Scope.StepId), binding);
            default:
                return node.DeepClone();
        }
    }

    private JsonNode? TemplateString(ExpressionTemplate template, ScopeBinding binding)
    {
        if (template.IsSingleExpression)
        {
            var code = template.SingleExpression.Text;
            var value = Run(CodeKind.Expression, code, binding, out var host, out var compiled);
            return ToJson(host, value, compiled, binding.Scope);
        }

        var text = new StringBuilder();
        foreach (var part in template.Parts)
        {
            if (!part.IsExpression)
            {
                text.Append(part.Text);
                continue;
            }

            var value = Run(CodeKind.Expression, part.Text, binding, out var host, out var compiled);
            try
            {
                text.Append(host.ToText(value, compiled.Straight));
            }
            catch (JavaScriptException e)
            {
                throw Failure(CodeKind.Expression, part.Text, binding.Scope.StepId, "its value cannot be written as text: " + ErrorText(e, null), e);
            }
            catch (Exception e) when (IsLimit(e))
            {
                host.Broken = true;
                throw Failure(CodeKind.Expression, part.Text, binding.Scope.StepId, Describe(e, null), e);
            }
        }

        return JsonValue.Create(text.ToString());
    }

    private ExpressionTemplate ParseTemplate(string text, string? stepId)
    {
        if (_templates.TryGetValue(text, out var template))
            return template;
        if (!ExpressionTemplate.TryParse(text, out template, out var error))
            throw new ExpressionException($"{StepPrefix(stepId)}template '{Shorten(text)}' is invalid: {error!.Message} (at character {error.Offset + 1})", text, stepId);
        if (_templates.Count >= _options.CacheCapacity)
            _templates.Clear();
        _templates[text] = template;
        return template;
    }

    private void WriteBackVariables(EngineHost host, JsValue value, CompiledCode compiled, ExpressionScope scope)
    {
        if (ToJson(host, value, compiled, scope) is not JsonObject updated)
            throw Failure(CodeKind.Script, compiled.Code, scope.StepId, "'vars' must stay an object", null);
        var variables = scope.Variables;
        foreach (var key in variables.Select(kv => kv.Key).Where(k => !updated.ContainsKey(k)).ToList())
            variables.Remove(key);
        foreach (var (key, newValue) in updated.ToList())
        {
            if (variables.TryGetPropertyValue(key, out var old) && JsonNode.DeepEquals(old, newValue))
                continue;
            updated.Remove(key);
            variables[key] = newValue;
        }
    }
}
