namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>The engine's own bookmark names (activities may not use names starting with <c>$</c>).</summary>
internal static class BookmarkNames
{
    /// <summary>A step's <c>timeout:</c>.</summary>
    public const string Timeout = "$timeout";

    /// <summary>The delay before the next attempt of a <c>retry:</c>.</summary>
    public const string Retry = "$retry";
}
