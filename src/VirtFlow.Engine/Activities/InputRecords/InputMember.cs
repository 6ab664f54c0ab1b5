using System.Reflection;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>One input (or field) of an input record: its declaration, its default read once, and its reader.</summary>
internal sealed class InputMember
{
    private readonly InputReader _reader;
    private readonly object? _default;
    private readonly bool _cloneDefault;

    private InputMember(string name, InputAttribute declared, InputReader reader, JsonNode? defaultNode, object? defaultValue, bool nullable)
    {
        Name = name;
        Declared = declared;
        _reader = reader;
        DefaultNode = defaultNode;
        _default = defaultValue;
        _cloneDefault = defaultValue is JsonNode;
        Nullable = nullable;
    }

    public string Name { get; }
    public InputAttribute Declared { get; }
    public bool Required => Declared.Required;
    public JsonNode? DefaultNode { get; }
    public bool Nullable { get; }

    public static InputMember Create(Type record, ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        var property = record.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"input record {record.Name}: parameter '{parameter.Name}' has no property of its name");
        var declared = property.GetCustomAttribute<InputAttribute>(inherit: true)
            ?? throw new InvalidOperationException($"input record {record.Name}: '{property.Name}' has no [Input] (write [property: Input(\"...\")])");
        var where = $"input record {record.Name}.{property.Name}";
        var name = declared.Name ?? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
        var reader = InputReader.For(property.PropertyType, declared, where);
        var nullable = System.Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == NullabilityState.Nullable);
        var defaultNode = DefaultOf(declared, where);
        object? defaultValue = null;
        if (defaultNode is not null)
        {
            try
            {
                defaultValue = reader.Read(defaultNode, new InputPath(name));
            }
            catch (ActivityInputException ex)
            {
                throw new InvalidOperationException($"{where}: its default does not fit: {ex.Message}", ex);
            }
        }
        else if (!declared.Required && !nullable)
        {
            throw new InvalidOperationException($"{where}: an input neither required nor with a default must be nullable");
        }
        return new InputMember(name, declared, reader, defaultNode, defaultValue, nullable);
    }

    /// <summary>The value for the record's constructor: read from <paramref name="node"/>, else the default, else null.</summary>
    /// <param name="node">The given value (null when missing or null).</param>
    /// <param name="path">Where it sits, for errors.</param>
    /// <param name="parent">The object it is a field of; null for an input.</param>
    public object? Bind(JsonNode? node, InputPath path, InputPath? parent)
    {
        var value = node is null ? null : _reader.Read(node, path);
        // An empty text counts as missing when the input is required or has a default (an expression that gave "").
        if (value is null || (value is string { Length: 0 } && (Required || DefaultNode is not null)))
        {
            if (DefaultNode is not null) return _cloneDefault ? ((JsonNode)_default!).DeepClone() : _default;
            if (Required) throw new ActivityInputException(parent is { } p ? p.Missing(Name) : $"{path} is required");
        }
        return value;
    }

    public ActivityInput ToActivityInput() =>
        new(Name, Declared.Type ?? _reader.JsonType, Declared.Description, Required, DefaultNode?.DeepClone(), _reader.Enum, _reader.ItemSchema?.DeepClone() as JsonObject);

    /// <summary>The JSON Schema of this member as a field of an object (an item of a list).</summary>
    public JsonObject FieldSchema()
    {
        var schema = _reader.JsonType switch
        {
            "any" => new JsonObject(),
            "duration" or "script" => new JsonObject { ["type"] = "string" },
            var type => new JsonObject { ["type"] = type },
        };
        if (_reader.ItemSchema is { } items) schema["items"] = items.DeepClone();
        if (_reader.Enum is { } allowed) schema["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode?)JsonValue.Create(a))]);
        if (DefaultNode is not null) schema["default"] = DefaultNode.DeepClone();
        if (Declared.Description.Length > 0) schema["description"] = Declared.Description;
        return schema;
    }

    private static JsonNode? DefaultOf(InputAttribute declared, string where)
    {
        if (declared.DefaultJson is { } json)
        {
            if (declared.Default is not null) throw new InvalidOperationException($"{where}: give Default or DefaultJson, not both");
            return JsonNode.Parse(json);
        }
        return declared.Default switch
        {
            null => null,
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            int i => JsonValue.Create(i),
            long l => JsonValue.Create(l),
            double d => JsonValue.Create(d),
            var other => throw new InvalidOperationException($"{where}: a Default of type {other.GetType().Name} (write text, a number or true/false; DefaultJson for the rest)"),
        };
    }
}
