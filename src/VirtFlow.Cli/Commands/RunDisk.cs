namespace VirtFlow.Cli.Commands;

/// <summary>Where one disk of an instance is: its phase and how far its copy got.</summary>
internal sealed class RunDisk(string instanceId, string device)
{
    public string InstanceId { get; } = instanceId;
    public string Device { get; } = device;
    public RunDiskPhase Phase { get; set; }
    public long Offset { get; set; }
    public long Length { get; set; }
    public string? Target { get; set; }

    /// <summary>0 to 100, or null while the length is unknown.</summary>
    public int? Percent => Length > 0 ? (int)Math.Clamp(Offset * 100 / Length, 0, 100) : null;

    /// <summary>"copying 45%", "ready", "switching", "switched", "rolled back".</summary>
    public string PhaseText => Phase switch
    {
        RunDiskPhase.Copying or RunDiskPhase.None => Percent is { } p ? $"copying {p}%" : "copying",
        RunDiskPhase.Ready => "ready",
        RunDiskPhase.Switching => "switching",
        RunDiskPhase.Switched => "switched",
        _ => "rolled back",
    };
}

/// <summary>A disk's phase in a copy: copying, ready (mirror READY), switching (pivot running), switched, rolled back.</summary>
internal enum RunDiskPhase
{
    None,
    Copying,
    Ready,
    Switching,
    Switched,
    RolledBack,
}

/// <summary>A line of the view; <see cref="Disk"/> is set for a disk's line (progress bars use it).</summary>
internal sealed record RunLine(Hosting.Client.LiveEvent Source, string Text, RunLineStyle Style, RunDisk? Disk = null);

/// <summary>How a line is coloured on a terminal.</summary>
internal enum RunLineStyle
{
    Plain,
    Good,
    Bad,
    Waiting,
    Progress,
}
