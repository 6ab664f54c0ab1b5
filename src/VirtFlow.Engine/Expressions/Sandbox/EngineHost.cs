using System.Globalization;
using System.Text.Json.Nodes;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Jint.Runtime.Interop;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// One sandboxed Jint engine (used by one thread at a time) with the functions it has made from
/// <see cref="CompiledCode"/>. Strict mode, no CLR access, no <c>eval</c>/<c>Function</c>, no blocking or raw-memory
/// built-ins (<see cref="SandboxBootstrap"/>), frozen built-ins; time (with a watchdog), memory (with bounded string
/// built-ins and arrays), recursion and statement limits per evaluation; no promise job outlives its evaluation. Helpers: <c>duration(text)</c>
/// → milliseconds, <c>now()</c> → ISO timestamp, <c>json(value)</c> → JSON text.
/// </summary>
internal sealed class EngineHost : IDisposable
{
    private readonly Dictionary<CompiledCode, JsValue> _functions = new(ReferenceEqualityComparer.Instance);
    private readonly int _capacity;
    private readonly JsonParser _parser;
    private readonly JsonSerializer _serializer;
    private readonly long _maxChars;
    private readonly SandboxWatchdog _watchdog;
    private readonly SandboxLimits _limits;
    private readonly JsValue _stringify;
    private readonly GlobalSnapshot _globals;
    private readonly PromiseJobs _jobs = new();
    private bool _abandoned;
    private long _nowMilliseconds = long.MinValue;
    private JsValue _now = JsValue.Undefined;

    public EngineHost(JintExpressionOptions options, SandboxWatchdog watchdog)
    {
        _capacity = Math.Max(16, options.CacheCapacity);
        _watchdog = watchdog;
        var limits = _limits = new SandboxLimits(options.Timeout);
        var statements = options.MaxStatements > 0 ? new StatementBudget(options.MaxStatements) : null;
        Engine = new JsEngine(o =>
        {
            o.Strict();
            o.Constraint(limits);
            if (options.MemoryLimitBytes > 0)
                o.LimitMemory(options.MemoryLimitBytes);
            o.LimitRecursion(options.MaxRecursionDepth);
            if (statements is not null)
                o.Constraint(statements);
            o.Host.StringCompilationAllowed = false;
            o.Interop.Enabled = false;
            o.TimeZone = TimeZoneInfo.Utc;
            o.Culture = CultureInfo.InvariantCulture;
            o.Constraints.RegexTimeout = options.Timeout;
            o.Constraints.MaxArraySize = options.MaxArrayLength;
            o.AgentCanSuspend = false;
            o.Host.JobCallbacks = _jobs;
        });
        var clock = options.TimeProvider;
        Engine.SetValue("duration", new ClrFunction(Engine, "duration", (_, args) => DurationHelper(args)));
        Engine.SetValue("now", new ClrFunction(Engine, "now", (_, _) =>
            new JsString(clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))));
        // Date.now() returns the same number within a millisecond: a loop polling the clock makes no garbage, so it meets
        // the time limit rather than the memory limit (which counts every allocation).
        Engine.GetValue("Date").AsObject().Set("now", new ClrFunction(Engine, "now", (_, _) => DateNow()));
        var tooBig = new ClrFunction(Engine, "tooBig", (_, _) => throw new SandboxLimitException(SandboxLimit.Memory));
        _stringify = Engine.Invoke(Engine.Evaluate(SandboxBootstrap.Script), JsValue.Undefined,
            [Engine.Global, tooBig, JsNumber.Create(options.MemoryLimitBytes / 2)]);
        _globals = Engine.Advanced.CaptureGlobalSnapshot();
        limits.Enabled = true;
        statements?.Enabled = true;
        _parser = new JsonParser(Engine);
        _serializer = new JsonSerializer(Engine);
        _maxChars = options.MemoryLimitBytes / 2;
    }

    public JsEngine Engine { get; }

    /// <summary>Set after a limit was hit: the engine is replaced rather than trusted again.</summary>
    public bool Broken { get; set; }

    /// <summary>
    /// Calls <paramref name="function"/> on a watchdog thread (<see cref="SandboxWatchdog"/>: past the time limit and
    /// its margin this engine is abandoned and the time limit thrown), or on this thread for <paramref name="straight"/>
    /// code (<see cref="StraightCode"/>); then discards the promise jobs it queued, so none of them runs in a later evaluation.
    /// </summary>
    public JsValue Call(JsValue function, JsValue[] arguments, bool straight) =>
        straight ? Invoke(function, arguments) : _watchdog.Run(() => Invoke(function, arguments), Abandon);

    private JsValue Invoke(JsValue function, JsValue[] arguments)
    {
        try
        {
            return Engine.Invoke(function, JsValue.Undefined, arguments);
        }
        finally
        {
            if (_jobs.Registered)
            {
                _jobs.Registered = false;
                Engine.Advanced.RestoreGlobalSnapshot(_globals); // discards the queued jobs (and fences off late ones)
            }
        }
    }

    /// <summary>The function this engine made from <paramref name="code"/> (made on first use).</summary>
    public JsValue Function(CompiledCode code)
    {
        if (_functions.TryGetValue(code, out var fn))
            return fn;
        if (_functions.Count >= _capacity)
            _functions.Clear();
        fn = Engine.Evaluate(code.Script);
        _functions[code] = fn;
        return fn;
    }

    /// <summary>JSON → JavaScript, built directly (no JSON text in between): plain objects, arrays and primitives, as JSON.parse makes them.</summary>
    /// <summary>A new empty JavaScript object of this engine.</summary>
    public JsObject NewObject() => new(Engine);

    public JsValue ToJs(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonObject obj:
                var target = new JsObject(Engine);
                foreach (var (key, value) in obj)
                    target.CreateDataProperty(key, ToJs(value));
                return target;
            case JsonArray array:
                var items = new JsValue[array.Count];
                for (var i = 0; i < items.Length; i++)
                    items[i] = ToJs(array[i]);
                return new JsArray(Engine, items);
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case System.Text.Json.JsonValueKind.String when v.TryGetValue<string>(out var s):
                        return new JsString(s);
                    case System.Text.Json.JsonValueKind.Number when JsonNumbers.TryGetDouble(v, out var d):
                        return JsNumber.Create(d);
                    case System.Text.Json.JsonValueKind.True:
                        return JsBoolean.True;
                    case System.Text.Json.JsonValueKind.False:
                        return JsBoolean.False;
                    case System.Text.Json.JsonValueKind.Null:
                        return JsValue.Null;
                }

                break;
        }

        return _parser.Parse(node.ToJsonString());
    }

    /// <summary>
    /// JavaScript → JSON: undefined, functions, NaN and infinities become null (as in JSON.stringify). The value of
    /// <paramref name="straight"/> code holds nothing user-defined (no toJSON, getter) to run: converted on this thread.
    /// </summary>
    public JsonNode? ToJson(JsValue value, bool straight)
    {
        if (value.IsNull() || value.IsUndefined())
            return null;
        if (value.IsBoolean())
            return JsonValue.Create(value.AsBoolean());
        if (value.IsNumber())
            return double.IsFinite(value.AsNumber()) ? JsonNumbers.Create(value.AsNumber()) : null;
        if (value.IsString())
            return JsonValue.Create(value.AsString());
        var json = Stringify(value, straight);
        return json.IsString() ? JsonNode.Parse(json.AsString(), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 }) : null;
    }

    /// <summary>A value as interpolated into text: null/undefined → empty, objects and arrays → JSON, others as JavaScript prints them.</summary>
    public string ToText(JsValue value, bool straight)
    {
        if (value.IsNull() || value.IsUndefined())
            return "";
        if (value.IsString())
            return value.AsString();
        if (value.IsObject() && !value.IsRegExp() && !value.IsDate())
        {
            var json = Stringify(value, straight);
            return json.IsString() ? json.AsString() : "";
        }

        return TypeConverter.ToString(value);
    }

    /// <summary>JSON text: directly for plain data of <paramref name="straight"/> code within the limit, else by the bounded <c>JSON.stringify</c>.</summary>
    private JsValue Stringify(JsValue value, bool straight) =>
        straight && PlainData.IsWithin(value, _maxChars) ? _serializer.Serialize(value) : Call(_stringify, [value], straight);

    public void Dispose()
    {
        if (!_abandoned)
            Engine.Dispose(); // an abandoned engine may still run on its worker: left to the garbage collector
    }

    private JsValue DateNow()
    {
        var milliseconds = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        if (milliseconds != _nowMilliseconds)
        {
            _now = JsNumber.Create(milliseconds);
            _nowMilliseconds = milliseconds;
        }

        return _now;
    }

    private void Abandon()
    {
        _abandoned = true;
        Broken = true;
        _limits.Abort();
    }

    private JsValue DurationHelper(JsValue[] args)
    {
        var arg = args.Length > 0 ? args[0] : JsValue.Undefined;
        var text = arg.IsNumber() ? TypeConverter.ToString(arg) : arg.IsString() ? arg.AsString() : null;
        if (text is not null && Duration.TryParse(text, out var span))
            return JsNumber.Create(span.TotalMilliseconds);
        throw new JavaScriptException(Engine.Intrinsics.TypeError, $"duration({(arg.IsString() ? "'" + text + "'" : TypeConverter.ToString(arg))}): not a duration ({Duration.Hint})");
    }
}
