using System.Globalization;
using Quartz;

namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// Quartz's job for every schedule (the job's name is the schedule id): hands the scheduled time to the
/// <see cref="ScheduleFirer"/> of the process (in the scheduler's context). It asks for recovery, so a firing that a
/// killed node had taken is fired again by another node with its original scheduled time; the firer's records make that
/// start nothing twice.
/// </summary>
public sealed class ScheduleFiringJob : IJob
{
    /// <summary>Where the scheduler's context keeps the firer.</summary>
    public const string FirerKey = "virtflow.firer";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var firer = (ScheduleFirer)context.Scheduler.Context[FirerKey]!;
        await firer.FireAsync(context.JobDetail.Key.Name, ScheduledTime(context), FiringRequest.Cron, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The time the cron gave: the original one when this is a recovery of a dead node's firing.</summary>
    private static DateTimeOffset ScheduledTime(IJobExecutionContext context)
    {
        if (context.Recovering && context.MergedJobDataMap.TryGetValue(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime, out var original))
        {
            switch (original)
            {
                case DateTimeOffset d: return d;
                case long ms: return DateTimeOffset.FromUnixTimeMilliseconds(ms);
                case string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms): return DateTimeOffset.FromUnixTimeMilliseconds(ms);
                case string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d): return d;
            }
        }

        return context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
    }
}
