namespace VirtFlow.Engine.Definitions;

/// <summary>
/// How much a workflow file may hold. A file past any of these is refused with one diagnostic naming the limit, before
/// it can take the process's memory, stack or time: the parser never builds what it would not keep.
/// </summary>
public sealed record WorkflowLimits
{
    /// <summary>The defaults: 4 MiB, 100,000 nodes, 64 levels of steps, 64 levels of values.</summary>
    public static WorkflowLimits Default { get; } = new();

    /// <summary>
    /// The largest file, in bytes (default 4 MiB). Checked before reading (the file's size) and while reading (a file
    /// that grows, or a device, stops there); for a text given directly, its UTF-8 length. The text of a definition's
    /// values after alias expansion, and its canonical JSON, may not exceed it either.
    /// </summary>
    public int MaxFileBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most YAML nodes (scalars, lists, mappings) a file may hold once its aliases are expanded (default 100,000):
    /// an alias counts every node of what it refers to, so an alias bomb is refused at the alias that crosses the limit.
    /// </summary>
    public int MaxNodes { get; init; } = 100_000;

    /// <summary>How deep steps may nest (default 64): a step inside a try inside a sequence is at depth 3.</summary>
    public int MaxStepDepth { get; init; } = 64;

    /// <summary>How deep a value (<c>with:</c>, <c>variables:</c>, an input's default...) may nest, in lists and mappings (default 64).</summary>
    public int MaxValueDepth { get; init; } = 64;

    /// <summary>
    /// The deepest YAML nesting read at all, whatever it holds: enough for <see cref="MaxStepDepth"/> levels of steps (a
    /// step level takes up to four YAML levels, e.g. branches, a branch, its steps, a step) with values of
    /// <see cref="MaxValueDepth"/> levels inside. Checked on the parser's event stream, before any node is built.
    /// </summary>
    public int MaxYamlDepth => (4 * MaxStepDepth) + MaxValueDepth + 8;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a setting out of its range.</summary>
    public void Validate()
    {
        Range(MaxFileBytes, 1024, 1024 * 1024 * 1024, nameof(MaxFileBytes));
        Range(MaxNodes, 100, 100_000_000, nameof(MaxNodes));
        Range(MaxStepDepth, 1, 128, nameof(MaxStepDepth));
        Range(MaxValueDepth, 1, 128, nameof(MaxValueDepth));
    }

    private static void Range(int value, int min, int max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}");
    }
}
