namespace VirtFlow.HostWorker;

/// <summary>A quiesce held by the worker until unquiesce, or until it runs out (rule 5).</summary>
internal sealed class QuiesceLease(string id, string method, bool wasPaused, int frozen)
{
    public string Id { get; } = id;

    /// <summary>fsfreeze, pause or none.</summary>
    public string Method { get; } = method;

    /// <summary>The VM was not running when quiesced: it is not resumed on release.</summary>
    public bool WasPaused { get; } = wasPaused;

    public int FrozenFilesystems { get; } = frozen;

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Fires at <see cref="ExpiresAt"/> (and again while a release keeps failing).</summary>
    public ITimer? Timer { get; set; }

    /// <summary>How many releases failed (the agent did not answer the thaw).</summary>
    public int FailedReleases { get; set; }
}
