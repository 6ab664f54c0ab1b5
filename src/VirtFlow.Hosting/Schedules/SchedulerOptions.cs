namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// The scheduler of <c>virtflow server</c> (<see cref="Server.VirtFlowServerOptions.Schedules"/>; the names below, as <c>VirtFlow:Server:Schedules:NAME</c>, are what error messages call them). On PostgreSQL it is Quartz's
/// ADO.NET job store, clustered (tables <c>vf_qrtz_*</c>, created by store migration 9); on SQLite Quartz keeps its
/// triggers in memory and one server only may run schedules on a file (a lease row in the store).
/// </summary>
public sealed class SchedulerOptions
{
    /// <summary>Quartz's table prefix on PostgreSQL.</summary>
    public const string TablePrefix = "vf_qrtz_";

    /// <summary>Quartz's scheduler name on PostgreSQL, the same on every node of one cluster. Default <c>virtflow</c>.</summary>
    public string ClusterName { get; set; } = "virtflow";

    /// <summary>Whether this server fires schedules at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a clustered node checks in; a node silent for about this long is taken over. Default 5 s.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The SQLite scheduler lease, renewed every third of it. A server that finds another's lease waits once until it would
    /// expire (a server killed a moment ago) and refuses to start if it was renewed. Default 15 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often buffered firings and pause-on-failure are checked. Default 1 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most firings one backfill may start. Default 1,000.</summary>
    public int MaxBackfillFirings { get; set; } = 1000;

    /// <summary>Quartz's worker count (firings handled at once on a node). Default 10.</summary>
    public int MaxConcurrency { get; set; } = 10;

    internal void Validate()
    {
        if (ClusterCheckinInterval < TimeSpan.FromMilliseconds(500)) throw new ArgumentException("VirtFlow:Server:Schedules:ClusterCheckinInterval must be at least 500ms", nameof(ClusterCheckinInterval));
        if (LeaseDuration < TimeSpan.FromSeconds(3)) throw new ArgumentException("VirtFlow:Server:Schedules:LeaseDuration must be at least 3s", nameof(LeaseDuration));
        if (SweepInterval <= TimeSpan.Zero) throw new ArgumentException("VirtFlow:Server:Schedules:SweepInterval must be positive", nameof(SweepInterval));
        if (MaxBackfillFirings < 1) throw new ArgumentException("VirtFlow:Server:Schedules:MaxBackfillFirings must be at least 1", nameof(MaxBackfillFirings));
        if (MaxConcurrency < 1) throw new ArgumentException("VirtFlow:Server:Schedules:MaxConcurrency must be at least 1", nameof(MaxConcurrency));
    }
}
