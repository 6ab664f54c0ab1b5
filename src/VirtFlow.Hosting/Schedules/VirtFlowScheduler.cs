using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// Registers every schedule trigger of every published workflow with Quartz (at start and whenever a version is
/// published; a schedule its workflow dropped is removed) and runs the firings. PostgreSQL: Quartz's ADO.NET job store,
/// clustered, so each firing runs on one node and a dead node's firings are recovered by another. SQLite: Quartz in
/// memory, and a lease row in the store keeps a second server with schedules from starting on the same file.
/// </summary>
public sealed class VirtFlowScheduler(
    ScheduleFirer firer, WorkflowCatalog catalog, SchedulerOptions options, string storeSpec, string nodeId, TimeProvider clock, ILogger<VirtFlowScheduler> logger)
    : IHostedService, IAsyncDisposable
{
    private const string Group = "virtflow";
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IScheduler? _scheduler;
    private Task? _sweep;
    private bool _leased;

    private bool Clustered => storeSpec.StartsWith("postgres:", StringComparison.Ordinal);

    /// <summary>The firing path (also for trigger now and backfill).</summary>
    public ScheduleFirer Firer => firer;

    /// <summary>When the schedule fires next (Quartz's trigger), or null.</summary>
    public async Task<DateTimeOffset?> NextFiringAsync(string scheduleId, CancellationToken ct)
    {
        if (_scheduler is null) return null;
        var trigger = await _scheduler.GetTrigger(new TriggerKey(scheduleId, Group), ct).ConfigureAwait(false);
        return trigger?.NextFireTimeUtc;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled) return;
        var schedules = await firer.PublishedAsync(cancellationToken).ConfigureAwait(false);
        if (!Clustered && schedules.Count > 0)
        {
            var holder = await firer.Store.TakeSchedulerLeaseAsync(nodeId, options.LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (holder is not null)
            {
                // A server killed a moment ago left its lease: wait once until it would have expired. A live holder renews it.
                var wait = holder.Until - clock.GetUtcNow() + TimeSpan.FromMilliseconds(500);
                if (wait > TimeSpan.Zero)
                {
                    Log.SchedulerLeaseWait(logger, holder.Owner, wait.TotalSeconds);
                    await Task.Delay(wait < options.LeaseDuration * 2 ? wait : options.LeaseDuration * 2, clock, cancellationToken).ConfigureAwait(false);
                }

                holder = await firer.Store.TakeSchedulerLeaseAsync(nodeId, options.LeaseDuration, cancellationToken).ConfigureAwait(false);
            }

            if (holder is not null)
                throw new SchedulerRefusedException(
                    $"schedules: the store {StoreName()} already has a scheduler, '{holder.Owner}' (its lease runs until {holder.Until:O}); SQLite allows one server with schedules: stop that server, or use a postgres: store for several");
            _leased = true;
        }

        _scheduler = await Build(cancellationToken).ConfigureAwait(false);
        _scheduler.Context[ScheduleFiringJob.FirerKey] = firer;
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        await _scheduler.Start(cancellationToken).ConfigureAwait(false);
        catalog.Published += OnPublished;
        _sweep = Task.Run(() => SweepLoopAsync(_stopping.Token), CancellationToken.None);
        Log.SchedulerStarted(logger, Clustered ? "PostgreSQL, clustered" : "SQLite, one server", schedules.Count);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        catalog.Published -= OnPublished;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_sweep is not null)
        {
            try
            {
                await _sweep.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_scheduler is not null) await _scheduler.Shutdown(false, cancellationToken).ConfigureAwait(false);
        if (_leased) await firer.Store.ReleaseSchedulerLeaseAsync(nodeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes Quartz's schedules those of the published workflows: adds new ones, replaces changed ones, removes dropped ones.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        if (_scheduler is null) return;
        await _sync.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var desired = await firer.PublishedAsync(ct).ConfigureAwait(false);
            var known = await _scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(Group) }, ct).ConfigureAwait(false);
            foreach (var job in known.Items.Where(j => desired.All(d => d.ScheduleId != j.Key.Name)))
            {
                await _scheduler.DeleteJob(job.Key, ct).ConfigureAwait(false);
                Log.ScheduleRemoved(logger, job.Key.Name);
            }

            foreach (var schedule in desired)
            {
                var signature = Signature(schedule);
                var existing = await _scheduler.GetTrigger(new TriggerKey(schedule.ScheduleId, Group), ct).ConfigureAwait(false);
                if (existing?.Description == signature) continue;
                var job = JobBuilder.Create<ScheduleFiringJob>().WithIdentity(schedule.ScheduleId, Group).RequestRecovery().StoreDurably().Build();
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(schedule.ScheduleId, Group)
                    .WithDescription(signature)
                    .ForJob(job)
                    .StartAt(clock.GetUtcNow())
                    .WithCronSchedule(schedule.Cron, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone)).WithMisfireInstruction(CronTriggerMisfireInstruction.IgnoreMisfires))
                    .Build();
                if (existing is null)
                {
                    await _scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct).ConfigureAwait(false);
                }
                else
                {
                    await _scheduler.RescheduleJob(existing.Key, trigger, ct).ConfigureAwait(false);
                }

                Log.ScheduleRegistered(logger, schedule.ScheduleId, schedule.Cron, schedule.TimeZone);
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        _sync.Dispose();
        if (_scheduler is { Status: not SchedulerStatus.Shutdown }) await _scheduler.Shutdown(false).ConfigureAwait(false);
    }

    private static string Signature(ScheduleSettings s) => $"{s.Cron}|{s.TimeZone}";

    private void OnPublished(string workflow) => _ = Task.Run(async () =>
    {
        try
        {
            await SyncAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ScheduleSyncFailed(logger, e.Message);
        }
    });

    private async Task SweepLoopAsync(CancellationToken ct)
    {
        var renewEvery = options.LeaseDuration / 3;
        var renewed = clock.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(options.SweepInterval, clock, ct).ConfigureAwait(false);
            try
            {
                if (_leased && clock.GetUtcNow() - renewed >= renewEvery)
                {
                    if (await firer.Store.TakeSchedulerLeaseAsync(nodeId, options.LeaseDuration, ct).ConfigureAwait(false) is { } holder)
                    {
                        Log.SchedulerLeaseLost(logger, holder.Owner);
                        if (_scheduler is not null) await _scheduler.Standby(ct).ConfigureAwait(false);
                        return;
                    }

                    renewed = clock.GetUtcNow();
                }

                foreach (var schedule in await firer.PublishedAsync(ct).ConfigureAwait(false))
                    await firer.SweepAsync(schedule, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ScheduleSweepFailed(logger, e.Message);
            }
        }
    }

    private string StoreName() => storeSpec.StartsWith("sqlite:", StringComparison.Ordinal) ? storeSpec : "(memory)";

    private async Task<IScheduler> Build(CancellationToken ct)
    {
        var builder = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o =>
            {
                // One name for every node of a cluster (Quartz's sched_name); a process-unique one in memory.
                o.InstanceName = Clustered ? options.ClusterName : $"virtflow-{nodeId}";
                o.InstanceId = nodeId;
            });
            q.UseDefaultThreadPool(maxConcurrency: options.MaxConcurrency);
            if (Clustered)
            {
                q.UsePersistentStore(s =>
                {
                    s.UsePostgres(storeSpec["postgres:".Length..]);
                    s.UseSystemTextJsonSerializer();
                    s.UseClustering(c =>
                    {
                        c.CheckinInterval = options.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = options.ClusterCheckinInterval * 2;
                    });
                    s.ConfigureStore(o => o.TablePrefix = SchedulerOptions.TablePrefix);
                });
            }
            else
            {
                q.UseInMemoryStore();
            }
        });
        return await builder.BuildScheduler(ct).ConfigureAwait(false);
    }
}
