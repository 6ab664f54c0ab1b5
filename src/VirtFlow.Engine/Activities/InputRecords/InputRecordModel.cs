using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>An input record read once by reflection: its constructor and one <see cref="InputMember"/> per parameter.</summary>
internal sealed class InputRecordModel
{
    private static readonly ConcurrentDictionary<Type, InputRecordModel> Cache = new();

    private readonly Func<object?[], object> _create;
    private readonly InputMember[] _members;

    private InputRecordModel(Type type)
    {
        Type = type;
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"input record {type.Name} has no public constructor");
        var nullability = new NullabilityInfoContext();
        _members = [.. constructor.GetParameters().Select(p => InputMember.Create(type, p, nullability))];
        _create = Compile(constructor);
        Inputs = [.. _members.Select(m => m.ToActivityInput())];
        Fields = string.Join(", ", _members.Select(m => m.Name));
    }

    public Type Type { get; }

    /// <summary>The inputs as a descriptor lists them.</summary>
    public IReadOnlyList<ActivityInput> Inputs { get; }

    /// <summary>The fields' names, for an error: <c>device, target, format, reuse</c>.</summary>
    public string Fields { get; }

    public static InputRecordModel For(Type type) => Cache.GetOrAdd(type, static t => new InputRecordModel(t));

    /// <summary>True when <paramref name="type"/> looks like an input record: a class whose properties carry <see cref="InputAttribute"/>.</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.IsDefined(typeof(InputAttribute), inherit: true));

    /// <summary>The JSON Schema of the record as an object (an item of a list).</summary>
    public JsonObject ObjectSchema()
    {
        var properties = new JsonObject();
        foreach (var m in _members) properties[m.Name] = m.FieldSchema();
        var schema = new JsonObject { ["type"] = "object" };
        var required = _members.Where(m => m.Required && m.DefaultNode is null).Select(m => (JsonNode?)JsonValue.Create(m.Name)).ToArray();
        if (required.Length > 0) schema["required"] = new JsonArray(required);
        schema["properties"] = properties;
        return schema;
    }

    /// <summary>Binds an activity's inputs (top level: a missing required one "is required").</summary>
    public object BindTop(JsonObject inputs)
    {
        var args = new object?[_members.Length];
        for (var i = 0; i < _members.Length; i++)
        {
            var m = _members[i];
            var path = new InputPath(m.Name);
            args[i] = m.Bind(inputs[m.Name], path, parent: null);
        }
        return Create(args);
    }

    /// <summary>Binds an object inside the inputs (an item, or an object input): a missing required field "has no 'x'".</summary>
    public object BindNested(JsonObject value, InputPath path)
    {
        var args = new object?[_members.Length];
        for (var i = 0; i < _members.Length; i++)
        {
            var m = _members[i];
            args[i] = m.Bind(value[m.Name], path.Child(m.Name), parent: path);
        }
        return Create(args);
    }

    private object Create(object?[] args) => _create(args);

    /// <summary>The constructor as a delegate (compiled once: a bind runs on every activity call).</summary>
    private static Func<object?[], object> Compile(ConstructorInfo constructor)
    {
        var args = Expression.Parameter(typeof(object?[]), "args");
        var values = constructor.GetParameters().Select((p, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        return Expression.Lambda<Func<object?[], object>>(Expression.Convert(Expression.New(constructor, values), typeof(object)), args).Compile();
    }
}
