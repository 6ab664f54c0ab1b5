namespace VirtFlow.Engine.Activities.InputRecords;

/// <summary>
/// Where a value sits in an activity's inputs, as an error names it: <c>input 'vm'</c>, <c>input 'stall.window'</c>,
/// <c>input 'disks': item 2</c>, <c>input 'disks': item 2: 'format'</c>.
/// </summary>
/// <param name="Input">The input's name (dotted inside objects: <c>stall.window</c>).</param>
/// <param name="Item">The index of the item of a list (0-based), or -1.</param>
/// <param name="Field">The field inside that item (dotted when nested), or null.</param>
public readonly record struct InputPath(string Input, int Item = -1, string? Field = null)
{
    /// <summary>A field of the object at this path.</summary>
    public InputPath Child(string field) =>
        Item < 0 ? new InputPath($"{Input}.{field}") : this with { Field = Field is null ? field : $"{Field}.{field}" };

    /// <summary>An item of the list at this path.</summary>
    public InputPath At(int index) => Item < 0 ? new InputPath(Input, index) : this with { Field = $"{Field}[{index}]" };

    /// <summary>The message when <paramref name="field"/> of the object at this path is required and missing.</summary>
    public string Missing(string field) => $"{this} has no '{field}'";

    public override string ToString() => Item < 0
        ? $"input '{Input}'"
        : Field is null ? $"input '{Input}': item {Item + 1}" : $"input '{Input}': item {Item + 1}: '{Field}'";
}
