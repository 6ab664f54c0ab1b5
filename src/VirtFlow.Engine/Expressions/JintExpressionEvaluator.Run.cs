using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acornima;
using Jint;
using Jint.Native;
using Jint.Runtime;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions.Sandbox;

namespace VirtFlow.Engine.Expressions;

/// <summary>Running compiled code on this thread's engine, and saying clearly what went wrong.</summary>
public sealed partial class JintExpressionEvaluator
{
    private JsValue Run(CodeKind kind, string code, ScopeBinding binding, out EngineHost host, out CompiledCode compiled)
    {
        var stepId = binding.Scope.StepId;
        try
        {
            compiled = _code.Get(kind, code, binding.LocalNames, binding.LocalsKey);
        }
        catch (ParseErrorException e)
        {
            var error = JsSyntax.ToError(e);
            var where = error.Line == 1 && kind == CodeKind.Expression ? $"column {error.Column}" : $"line {error.Line}, column {error.Column}";
            throw Failure(kind, code, stepId, $"syntax error at {where}: {error.Message}", e);
        }
        catch (Exception e) when (e is JintException or ArgumentException)
        {
            throw Failure(kind, code, stepId, e.Message, e);
        }

        host = Host();
        try
        {
            var function = host.Function(compiled);
            return host.Call(function, binding.Arguments(host, compiled), compiled.Straight);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (e is not JavaScriptException)
                host.Broken = true; // a limit was hit (or worse): do not trust this engine's state again
            throw Failure(kind, code, stepId, Describe(e, compiled), e);
        }
    }

    /// <summary>The engine this call borrowed (<see cref="Lease"/>); a broken one is replaced.</summary>
    private EngineHost Host()
    {
        var host = _current.Value;
        if (host is { Broken: false })
            return host;
        host?.Dispose();
        if (!_idle.TryTake(out host))
            host = new EngineHost(_options, _watchdog);
        else
            Interlocked.Decrement(ref _idleCount);
        _current.Value = host;
        return host;
    }

    /// <summary>Borrows an engine for one public call on this thread (taken on first use); disposing gives it back.</summary>
    private HostLease Lease() => new(this, _current.Value is null);

    private readonly struct HostLease(JintExpressionEvaluator owner, bool outermost) : IDisposable
    {
        public void Dispose()
        {
            if (!outermost)
                return;
            var host = owner._current.Value;
            if (host is null)
                return;
            owner._current.Value = null;
            if (host.Broken || Interlocked.Increment(ref owner._idleCount) > owner._maxIdle)
            {
                if (!host.Broken)
                    Interlocked.Decrement(ref owner._idleCount);
                host.Dispose();
                return;
            }
            owner._idle.Add(host);
        }
    }

    private JsonNode? ToJson(EngineHost host, JsValue value, CompiledCode compiled, ExpressionScope scope)
    {
        var (kind, code) = (compiled.Kind, compiled.Code);
        try
        {
            return host.ToJson(value, compiled.Straight);
        }
        catch (Exception e) when (e is JavaScriptException or JsonException)
        {
            throw Failure(kind, code, scope.StepId, "its value cannot be turned into JSON: " + (e is JavaScriptException js ? ErrorText(js, null) : e.Message), e);
        }
        catch (Exception e) when (IsLimit(e))
        {
            host.Broken = true;
            throw Failure(kind, code, scope.StepId, Describe(e, null), e);
        }
    }

    /// <summary>A sandbox limit was hit (the engine is not trusted again).</summary>
    private static bool IsLimit(Exception e) =>
        e is SandboxLimitException or TimeoutException or MemoryLimitExceededException or RecursionDepthOverflowException or StatementsCountOverflowException;

    private string Describe(Exception e, CompiledCode? compiled) => e switch
    {
        SandboxLimitException { Limit: SandboxLimit.Time } or TimeoutException => $"exceeded its time limit of {Duration.Format(_options.Timeout)} (the limit for one evaluation; an endless loop?)",
        MemoryLimitExceededException or SandboxLimitException { Limit: SandboxLimit.Memory } => $"used more than {(_options.MemoryLimitBytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MB of memory (the limit for one evaluation)",
        RecursionDepthOverflowException => $"exceeded the maximum call depth of {_options.MaxRecursionDepth} (endless recursion?)",
        SandboxLimitException { Limit: SandboxLimit.Statements } or StatementsCountOverflowException => $"ran more than {_options.MaxStatements.ToString(CultureInfo.InvariantCulture)} statements (the limit for one evaluation; an endless loop?)",
        JavaScriptException js => ErrorText(js, compiled),
        _ => e.Message,
    };

    /// <summary><c>TypeError: message</c> for Error objects, the thrown value otherwise; for scripts, where.</summary>
    private static string ErrorText(JavaScriptException e, CompiledCode? compiled)
    {
        var text = e.Message;
        if (e.Error.IsObject())
        {
            var obj = e.Error.AsObject();
            var name = obj.Get(new JsString("name"));
            var message = obj.Get(new JsString("message"));
            if (name.IsString() && message.IsString())
                text = message.AsString().Length == 0 ? name.AsString() : $"{name.AsString()}: {message.AsString()}";
        }

        if (compiled is { Kind: CodeKind.Script } && e.Location.Start.Line >= 1)
        {
            var line = e.Location.Start.Line;
            var column = e.Location.Start.Column + 1 - (line == 1 ? compiled.PrefixLength : 0);
            if (column >= 1)
                text += $" (line {line}, column {column})";
        }

        return text;
    }

    private static ExpressionException Failure(CodeKind kind, string code, string? stepId, string reason, Exception? inner) =>
        new($"{StepPrefix(stepId)}{(kind == CodeKind.Script ? "script" : "expression")} '{Shorten(code)}' failed: {reason}", code, stepId, inner);

    private static string StepPrefix(string? stepId) => stepId is null ? "" : $"step '{stepId}': ";

    /// <summary>Code as quoted in a message: on one line, at most 100 characters.</summary>
    private static string Shorten(string code)
    {
        var oneLine = string.Join(' ', code.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 100 ? oneLine : oneLine[..99] + "…";
    }
}
