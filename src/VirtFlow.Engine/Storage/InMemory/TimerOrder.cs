namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>Timers ordered as the SQL stores order them: due time, then bookmark id (ordinal).</summary>
internal sealed class TimerOrder : IComparer<(DateTimeOffset DueAt, string Id)>
{
    public static readonly TimerOrder Instance = new();

    public int Compare((DateTimeOffset DueAt, string Id) x, (DateTimeOffset DueAt, string Id) y)
    {
        var c = x.DueAt.CompareTo(y.DueAt);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }
}
