namespace VirtFlow.Qmp;

/// <summary>QEMU's job statuses (<c>JobStatus</c> in the QAPI schema).</summary>
public static class JobStatus
{
    /// <summary>Not a real state; QEMU never reports it for a live job.</summary>
    public const string Undefined = "undefined";
    /// <summary>Just created, not started.</summary>
    public const string Created = "created";
    /// <summary>Copying.</summary>
    public const string Running = "running";
    /// <summary>Paused by the user or an error policy.</summary>
    public const string Paused = "paused";
    /// <summary>A mirror in sync with its source, waiting for complete or cancel.</summary>
    public const string Ready = "ready";
    /// <summary>A READY job that was paused (it can blip back here from ready).</summary>
    public const string Standby = "standby";
    /// <summary>Done working, waiting for its transaction peers.</summary>
    public const string Waiting = "waiting";
    /// <summary>Waiting for <c>job-finalize</c> (auto-finalize off): the last point where nothing has switched.</summary>
    public const string Pending = "pending";
    /// <summary>Failing or cancelled, cleaning up.</summary>
    public const string Aborting = "aborting";
    /// <summary>Ended (check <see cref="JobInfo.Error"/>); stays listed until dismissed when auto-dismiss is off.</summary>
    public const string Concluded = "concluded";

    /// <summary>The job is gone (dismissed).</summary>
    public const string Null = "null";

    /// <summary>True for statuses after which the job never runs again.</summary>
    public static bool IsTerminal(string status) => status is Concluded or Null;
}
