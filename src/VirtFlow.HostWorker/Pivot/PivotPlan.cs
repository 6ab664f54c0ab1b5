using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// What each job of a pivot needs, read from QEMU before the guest is held: a repeat after a restart finds some already
/// pending or already switched.
/// </summary>
internal sealed class PivotPlan
{
    private PivotPlan(List<string> ids, List<string> toComplete, HashSet<string> pivotedBefore)
    {
        Ids = ids;
        ToComplete = toComplete;
        PivotedBefore = pivotedBefore;
        Moving = [.. ids.Where(id => !pivotedBefore.Contains(id))];
    }

    /// <summary>Every job of the command, in its order.</summary>
    public List<string> Ids { get; }

    /// <summary>The READY jobs that need a job-complete.</summary>
    public List<string> ToComplete { get; }

    /// <summary>The jobs an earlier attempt already switched.</summary>
    public HashSet<string> PivotedBefore { get; }

    /// <summary>The jobs this pivot switches (all but <see cref="PivotedBefore"/>).</summary>
    public List<string> Moving { get; }

    /// <summary>Reads each job's state in <paramref name="view"/>; a job the pivot cannot start from goes to <paramref name="problems"/>.</summary>
    public static PivotPlan Read(VmSession session, List<string> ids, BlockView view, PivotProblems problems)
    {
        var toComplete = new List<string>();
        var pivotedBefore = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var job = view.Job(id);
            var target = session.TargetNodeOf(id);
            switch (job?.Status)
            {
                case null when view.DeviceUsing(target) is not null:
                    pivotedBefore.Add(id);
                    break;
                case null:
                    problems.NotReady($"job {id}{session.DiskOf(id)} does not exist");
                    break;
                case JobStatus.Ready:
                    toComplete.Add(id);
                    break;
                case JobStatus.Waiting or JobStatus.Pending when !session.IsSoftCancelled(id):
                    break;
                case JobStatus.Concluded when session.OutcomeOf(job, view) == JobOutcomes.Completed:
                    pivotedBefore.Add(id);
                    break;
                case JobStatus.Concluded:
                    problems.Failed($"job {id}{session.DiskOf(id)} already ended ({session.OutcomeOf(job, view)}{(job.Error is null ? "" : ": " + job.Error)})");
                    break;
                default:
                    problems.NotReady($"job {id}{session.DiskOf(id)} is {job.Status}, not ready");
                    break;
            }
        }
        return new PivotPlan(ids, toComplete, pivotedBefore);
    }
}
