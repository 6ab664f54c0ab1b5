using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>
/// The typed inputs of an activity: its input record <typeparamref name="T"/> (a positional record whose properties
/// carry <see cref="InputAttribute"/>) gives the descriptor's <see cref="Inputs"/>, and <see cref="Bind"/> reads a
/// step's evaluated inputs into it. The record is read by reflection once per type (this class's static state).
/// JSON types follow the C# types: <c>string</c> (text), <c>bool</c> (boolean), <c>int</c>/<c>long</c> (integer),
/// <c>double</c> (number), <see cref="TimeSpan"/> (duration), <see cref="DateTimeOffset"/> (an ISO 8601 text), a C# enum
/// (text, spelled as its <see cref="System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute"/> or in camelCase),
/// <see cref="JsonNode"/> (any), <see cref="JsonObject"/> (object), <see cref="JsonArray"/> (array),
/// <see cref="IReadOnlyList{T}"/> (array; of records, of <see cref="IInputValue{TSelf}"/> or of the types above),
/// another record (object), an <see cref="IInputValue{TSelf}"/>.
/// </summary>
/// <typeparam name="T">The input record.</typeparam>
public static class InputBinder<T>
    where T : class
{
    private static readonly InputRecordModel Model = InputRecordModel.For(typeof(T));

    /// <summary>The inputs as the descriptor lists them, in the record's order.</summary>
    public static IReadOnlyList<ActivityInput> Inputs => Model.Inputs;

    /// <summary>
    /// Reads the evaluated inputs into a record: defaults applied, required inputs present, every value of its type;
    /// else throws <see cref="ActivityInputException"/> naming the input, and the item and field within it.
    /// </summary>
    public static T Bind(JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return (T)Model.BindTop(inputs);
    }
}

/// <summary>The descriptor inputs of an input record known only by its <see cref="Type"/> (see <see cref="InputBinder{T}"/>).</summary>
public static class InputBinder
{
    /// <summary>The inputs declared by <paramref name="record"/>.</summary>
    public static IReadOnlyList<ActivityInput> InputsOf(Type record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return InputRecordModel.For(record).Inputs;
    }

    /// <summary>Binds <paramref name="inputs"/> into an instance of <paramref name="record"/> (see <see cref="InputBinder{T}.Bind"/>).</summary>
    public static object Bind(Type record, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(inputs);
        return InputRecordModel.For(record).BindTop(inputs);
    }

    /// <summary>How a workflow file spells an enum value of an input record (<c>write-blocking</c>, <c>background</c>).</summary>
    public static string Spelling<TEnum>(TEnum value)
        where TEnum : struct, Enum => InputReader.Spelling(value);
}
