using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>How one C# type is read from a (non-null) JSON value, and what the schema says of it.</summary>
internal sealed class InputReader
{
    private readonly Func<JsonNode, InputPath, object?> _read;

    private InputReader(string jsonType, Func<JsonNode, InputPath, object?> read, IReadOnlyList<string>? allowed = null, JsonObject? itemSchema = null)
    {
        JsonType = jsonType;
        _read = read;
        Enum = allowed;
        ItemSchema = itemSchema;
    }

    /// <summary><c>string</c>, <c>boolean</c>, <c>integer</c>, <c>number</c>, <c>duration</c>, <c>array</c>, <c>object</c> or <c>any</c>.</summary>
    public string JsonType { get; }

    /// <summary>The values allowed, for a text.</summary>
    public IReadOnlyList<string>? Enum { get; }

    /// <summary>The schema of a list's items, when they have one.</summary>
    public JsonObject? ItemSchema { get; }

    public object? Read(JsonNode node, InputPath path) => _read(node, path);

    public static InputReader For(Type type, InputAttribute? declared, string where)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return declared?.Enum is { } allowed ? Choice(allowed, declared.Aliases ?? []) : new("string", (n, p) => Text(n, p));
        if (t == typeof(bool)) return new("boolean", (n, p) => Boolean(n, p));
        if (t == typeof(long)) return Whole(declared, long.MinValue, long.MaxValue, static v => v);
        if (t == typeof(int)) return Whole(declared, int.MinValue, int.MaxValue, static v => (int)v);
        if (t == typeof(double)) return new("number", (n, p) => JsonNumbers.TryGetDouble(n, out var d) ? d : throw Wrong(p, "must be a number", n));
        if (t == typeof(TimeSpan)) return new("duration", (n, p) => Duration(n, p, declared?.Positive ?? false));
        if (t == typeof(DateTimeOffset)) return new("string", (n, p) => Timestamp(n, p));
        if (t.IsEnum) return EnumOf(t);
        if (t == typeof(JsonNode)) return new("any", static (n, _) => n.DeepClone());
        if (t == typeof(JsonObject)) return new("object", static (n, p) => n is JsonObject o ? o.DeepClone() : throw Wrong(p, "must be an object", n));
        if (t == typeof(JsonArray)) return new("array", static (n, p) => n is JsonArray a ? a.DeepClone() : throw Wrong(p, "must be a list", n));
        if (IsInputValue(t)) return Custom(t);
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) return List(t.GenericTypeArguments[0], where);
        if (InputRecordModel.IsRecord(t))
        {
            var model = InputRecordModel.For(t);
            return new("object", (n, p) => n is JsonObject o ? model.BindNested(o, p) : throw Wrong(p, $"must be an object {{ {model.Fields} }}", n));
        }
        throw new InvalidOperationException($"{where}: inputs of type {type.Name} are not supported");
    }

    private static ActivityInputException Wrong(InputPath path, string what, JsonNode? node) =>
        new($"{path} {what}, not {node?.ToJsonString() ?? "null"}");

    private static string Text(JsonNode node, InputPath path) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => throw Wrong(path, "must be text", node),
    };

    private static InputReader Choice(string[] allowed, string[] aliases) => new("string", (n, p) =>
    {
        var text = Text(n, p);
        return allowed.Contains(text, StringComparer.Ordinal) || aliases.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new ActivityInputException($"{p} must be one of {string.Join(", ", allowed)}, not '{text}'");
    }, allowed);

    private static bool Boolean(JsonNode node, InputPath path) => node switch
    {
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) && bool.TryParse(s, out var parsed) => parsed,
        _ => throw Wrong(path, "must be true or false", node),
    };

    private static InputReader Whole(InputAttribute? declared, long typeMin, long typeMax, Func<long, object> box)
    {
        var min = Math.Max(declared?.Min ?? long.MinValue, typeMin);
        var max = Math.Min(declared?.Max ?? long.MaxValue, typeMax);
        var what = (min == typeMin, max == typeMax) switch
        {
            (true, true) => "must be a whole number",
            (false, true) => $"must be a whole number of {min} or more",
            (true, false) => $"must be a whole number of {max} or less",
            _ => $"must be a whole number from {min} to {max}",
        };
        return new("integer", (n, p) =>
        {
            long? value = null;
            if (JsonNumbers.TryGetDouble(n, out var d) && d == Math.Floor(d) && d >= long.MinValue && d < long.MaxValue) value = (long)d;
            else if (n is JsonValue v && v.TryGetValue(out string? s) && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)) value = parsed;
            return value is { } x && x >= min && x <= max ? box(x) : throw Wrong(p, what, n);
        });
    }

    private static TimeSpan Duration(JsonNode node, InputPath path, bool positive)
    {
        if (!Durations.TryParse(node, out var value))
            throw new ActivityInputException($"{path} is not a duration: {node.ToJsonString()} ({Definitions.Duration.Hint})");
        if (positive && value <= TimeSpan.Zero) throw new ActivityInputException($"{path} must be longer than 0s");
        return value;
    }

    private static DateTimeOffset Timestamp(JsonNode node, InputPath path)
    {
        var text = Text(node, path);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new ActivityInputException($"{path} is not a timestamp: '{text}' (write ISO 8601, e.g. 2026-01-31T22:00:00Z)");
    }

    /// <summary>A C# enum, spelled as its <see cref="JsonStringEnumMemberNameAttribute"/> says, else in camelCase.</summary>
    private static InputReader EnumOf(Type type)
    {
        var members = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (Name: f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name), Value: f.GetValue(null)!))
            .ToArray();
        var names = members.Select(m => m.Name).ToArray();
        return new("string", (n, p) =>
        {
            var text = n is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            foreach (var (name, value) in members)
                if (string.Equals(name, text, StringComparison.Ordinal)) return value;
            throw new ActivityInputException($"{p} must be one of {string.Join(", ", names)}, not {(text is null ? n.ToJsonString() : $"'{text}'")}");
        }, names);
    }

    /// <summary>The spelling of an enum value in a workflow file (<c>write-blocking</c>).</summary>
    public static string Spelling<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var field = typeof(TEnum).GetField(name);
        return field?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(name);
    }

    private static InputReader List(Type item, string where)
    {
        var reader = For(item, null, where);
        var model = InputRecordModel.IsRecord(item) ? InputRecordModel.For(item) : null;
        var schema = model?.ObjectSchema() ?? (IsInputValue(item) ? reader.ItemSchema : null);
        return new("array", (n, p) =>
        {
            if (n is not JsonArray a) throw Wrong(p, "must be a list", n);
            var list = Array.CreateInstance(item, a.Count);
            for (var i = 0; i < a.Count; i++)
            {
                var at = p.At(i);
                var value = a[i] is { } node ? reader.Read(node, at) : null;
                list.SetValue(value ?? throw Wrong(at, model is null ? "must not be null" : $"must be an object {{ {model.Fields} }}", null), i);
            }
            return list;
        }, itemSchema: schema);
    }

    private static bool IsInputValue(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IInputValue<>) && i.GenericTypeArguments[0] == type);

    private static InputReader Custom(Type type)
    {
        var read = (Func<JsonNode, InputPath, object?>)typeof(InputReader).GetMethod(nameof(CustomRead), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, null)!;
        var schema = (JsonObject)typeof(InputReader).GetMethod(nameof(CustomSchema), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, null)!;
        return new("any", read, itemSchema: schema);
    }

    private static Func<JsonNode, InputPath, object?> CustomRead<TValue>()
        where TValue : IInputValue<TValue> => static (n, p) => TValue.Read(n, p);

    private static JsonObject CustomSchema<TValue>()
        where TValue : IInputValue<TValue> => TValue.Schema();
}
