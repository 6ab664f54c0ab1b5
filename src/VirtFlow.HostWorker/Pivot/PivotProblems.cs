using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// Why a pivot cannot switch, each with its class, chosen where the problem is found (from the job's state, or the class
/// of the quiesce's failure), never from its text. The command fails with the class of its gravest problem: a quiesce
/// failure, else a job not ready (or missing), else a timeout before pending, else a failed job.
/// </summary>
internal sealed class PivotProblems
{
    private readonly List<(string Text, string ErrorClass)> _problems = [];
    private string? _quiesceFailure;

    public int Count => _problems.Count;

    /// <summary>A job missing, or in a state the pivot cannot start from.</summary>
    public void NotReady(string text) => _problems.Add((text, HostErrorClasses.JobNotReady));

    /// <summary>A job that failed, ended, or refused a verb.</summary>
    public void Failed(string text) => _problems.Add((text, HostErrorClasses.JobFailed));

    /// <summary>Not every job was pending in time.</summary>
    public void TimedOut(string text) => _problems.Add((text, HostErrorClasses.Timeout));

    /// <summary>The guest could not be held; <paramref name="errorClass"/> is the quiesce's own (or QEMU's).</summary>
    public void QuiesceFailed(string text, string errorClass)
    {
        _problems.Add((text, errorClass));
        _quiesceFailure = errorClass;
    }

    /// <summary>All of them, for the message.</summary>
    public override string ToString() => string.Join("; ", _problems.Select(p => p.Text));

    /// <summary>The class the failed pivot reports.</summary>
    public string ErrorClass =>
        _quiesceFailure
        ?? (_problems.Any(p => p.ErrorClass == HostErrorClasses.JobNotReady) ? HostErrorClasses.JobNotReady
            : _problems.Any(p => p.ErrorClass == HostErrorClasses.Timeout) ? HostErrorClasses.Timeout
            : HostErrorClasses.JobFailed);
}
