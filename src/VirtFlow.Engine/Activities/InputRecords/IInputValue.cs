using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>
/// A value of an input (or of a list's item) that reads itself, for shapes a record cannot say (a job id or a job object):
/// the binder calls <see cref="Read"/>, the schema shows <see cref="Schema"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IInputValue<TSelf>
    where TSelf : IInputValue<TSelf>
{
    /// <summary>Reads a value; throws <see cref="ActivityInputException"/> naming <paramref name="path"/> when it does not fit.</summary>
    static abstract TSelf Read(JsonNode node, InputPath path);

    /// <summary>The JSON Schema of the value.</summary>
    static abstract JsonObject Schema();
}
