namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>
/// Declares one input of an activity on a property of its input record (a positional record:
/// <c>[property: Input("...", Default = "2m")] TimeSpan CommandTimeout</c>), or one field of an item or object record.
/// The descriptor's <see cref="ActivityInput"/>, the JSON Schema and the binder (<see cref="InputBinder{T}"/>) all read it.
/// The JSON type follows the property's C# type (see <see cref="InputBinder{T}"/>).
/// </summary>
/// <param name="description">What the input is, for the schema and the designer (empty: none, for item fields only).</param>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class InputAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>The name in <c>with:</c>; by default the property's name in camelCase.</summary>
    public string? Name { get; init; }

    /// <summary>The step must give it (a missing one, or an empty text, is an error).</summary>
    public bool Required { get; init; }

    /// <summary>The default, written as in a workflow file: <c>"2m"</c> for a duration, <c>"write-blocking"</c> for an enum, <c>0</c>, <c>true</c>.</summary>
    public object? Default { get; init; }

    /// <summary>A default that is an object or a list, as JSON (<c>{ "window": "60s" }</c>, <c>[]</c>).</summary>
    public string? DefaultJson { get; init; }

    /// <summary>The values a text input may take (C# enums declare theirs themselves).</summary>
    public string[]? Enum { get; init; }

    /// <summary>Further spellings the binder accepts for a text input with <see cref="Enum"/> (not in the schema).</summary>
    public string[]? Aliases { get; init; }

    /// <summary>The JSON type when the C# type does not say it: <c>script</c> (JavaScript statements in a string).</summary>
    public string? Type { get; init; }

    /// <summary>For whole numbers: the smallest value allowed (not checked when <see cref="long.MinValue"/>).</summary>
    public long Min { get; init; } = long.MinValue;

    /// <summary>For whole numbers: the largest value allowed (not checked when <see cref="long.MaxValue"/>).</summary>
    public long Max { get; init; } = long.MaxValue;

    /// <summary>For durations: must be longer than 0.</summary>
    public bool Positive { get; init; }
}
