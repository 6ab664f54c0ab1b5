namespace VirtFlow.Engine.Storage.Catalog;

/// <summary>
/// A catalog write lost: the ETag it expected is not the workflow's current one (someone saved or published meanwhile),
/// there is no draft to publish, or a workflow to create exists already.
/// </summary>
public sealed class CatalogConflictException(string name, string? expectedETag, string? currentETag, int publishedVersion, string reason)
    : Exception($"workflow '{name}': {reason}")
{
    public string Name { get; } = name;

    /// <summary>What the writer expected (null: that the workflow did not exist).</summary>
    public string? ExpectedETag { get; } = expectedETag;

    /// <summary>The workflow's ETag now, or null when it does not exist.</summary>
    public string? CurrentETag { get; } = currentETag;

    /// <summary>The workflow's published version now (0: none).</summary>
    public int PublishedVersion { get; } = publishedVersion;

    /// <summary>The conflict for a stale or unexpected ETag (<paramref name="current"/> null: no such workflow).</summary>
    public static CatalogConflictException Stale(string name, string? expected, CatalogWorkflowHead? current) =>
        new(name, expected, current?.ETag, current?.PublishedVersion ?? 0, current is null
            ? "it is not in the catalog (create it without an ETag, If-None-Match: *)"
            : expected is null
                ? $"it exists already (version {current.PublishedVersion}, ETag {current.ETag}): save with its ETag"
                : $"ETag {expected} is stale: the workflow is now at ETag {current.ETag}, published version {current.PublishedVersion}");

    /// <summary>The conflict for a publish without a draft of that ETag.</summary>
    public static CatalogConflictException NoDraft(string name, string expected, CatalogWorkflowHead? current) =>
        new(name, expected, current?.ETag, current?.PublishedVersion ?? 0, current is null
            ? "it is not in the catalog"
            : $"its draft {expected} is no longer there (ETag now {current.ETag}, published version {current.PublishedVersion})");
}

/// <summary>The row every write of a workflow checks: its current ETag and published version.</summary>
public sealed record CatalogWorkflowHead(string ETag, int PublishedVersion);
