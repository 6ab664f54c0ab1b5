namespace VirtFlow.Engine.Storage.Paging;

/// <summary>
/// A filtered page of instances. <see cref="Vm"/> and <see cref="Host"/> match the instance's inputs <c>vm</c> and
/// <c>host</c> (strings; as copy-disks-pivot and the other shipped workflows name them) exactly. <see cref="Since"/>
/// is inclusive and <see cref="Until"/> exclusive, on the created time.
/// </summary>
public sealed record InstancePageQuery
{
    /// <summary>The page size when none is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxLimit = 500;

    public InstanceStatus? Status { get; init; }
    public string? WorkflowName { get; init; }
    public string? Vm { get; init; }
    public string? Host { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The page starts after this position (the previous page's <see cref="InstancePage.Next"/>), or at the newest.</summary>
    public InstanceCursor? After { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <see cref="Limit"/> is out of range.</summary>
    public void Validate()
    {
        if (Limit is < 1 or > MaxLimit)
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"the page size must be 1 to {MaxLimit}");
    }
}
