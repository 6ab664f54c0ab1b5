using System.Text.RegularExpressions;

namespace VirtFlow.Contracts;

/// <summary>The names of dated copies (<see cref="PruneCopies"/>): a UTC stamp that sorts by time, <c>2026-12-07T020000Z</c>.</summary>
public static partial class CopyNames
{
    /// <summary>The stamp's .NET format.</summary>
    public const string Format = "yyyy-MM-dd'T'HHmmss'Z'";

    /// <summary>True when <paramref name="name"/> is a copy's name.</summary>
    public static bool IsCopy(string name) => Stamp().IsMatch(name);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{6}Z$", RegexOptions.CultureInvariant)]
    private static partial Regex Stamp();
}
