using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using Xunit.Abstractions;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Performance;

/// <summary>
/// A measurement, not a timed assertion: 10,000 suspended instances wait on one keyed bookmark each; 200 random
/// ones are resumed the way the runtime does it (find by key, read, commit the next wait with a journal line and a
/// command). Prints median and p99 per resume to the test output.
/// </summary>
public abstract class ResumeLatencyMeasurement(ITestOutputHelper output)
{
    private const int Waiting = 10_000;
    private const int Resumes = 200;

    protected abstract string StoreName { get; }

    /// <summary>A fresh, initialized store on new storage.</summary>
    protected abstract Task<IWorkflowStore> CreateStoreAsync();

    [Fact]
    public async Task Resuming_200_of_10000_waiting_instances_is_measured()
    {
        await using var store = await CreateStoreAsync();
        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Waiting), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var id = InstanceId(i);
            await store.CommitAsync(StoreTestData.Insert(
                Instance(id) with { State = RealisticState(i) },
                Bookmark(id, id + "/wait-1", key: Key(i))), ct);
        });
        setup.Stop();

        var random = new Random(1234);
        var picks = Enumerable.Range(0, Waiting).OrderBy(_ => random.Next()).Take(Resumes).ToList();
        var times = new List<double>(Resumes);
        var finds = new List<double>(Resumes);
        var gets = new List<double>(Resumes);
        foreach (var i in picks)
        {
            var sw = Stopwatch.StartNew();
            var bookmark = Assert.Single(await store.FindBookmarksByKeyAsync(Key(i)));
            finds.Add(sw.Elapsed.TotalMilliseconds);
            var instance = (await store.GetInstanceAsync(bookmark.InstanceId))!;
            gets.Add(sw.Elapsed.TotalMilliseconds - finds[^1]);
            var state = instance.State;
            state["resumed"] = true;
            await store.CommitAsync(new InstanceCommit
            {
                Instance = instance with { State = state, Status = InstanceStatus.Suspended, UpdatedAt = default },
                ExpectedVersion = instance.Version,
                Bookmarks = [Bookmark(instance.Id, instance.Id + "/wait-2", key: Key(i) + "/next")],
                Journal = [Journal(instance.Id, "Resumed", "READY")],
                Outbox = [Command(instance.Id, instance.Id + "/complete/1")],
            });
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = Percentile(times, 0.5);
        var p99 = Percentile(times, 0.99);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{StoreName}: {Waiting} waiting instances inserted in {setup.Elapsed.TotalSeconds:F1} s ({Waiting / setup.Elapsed.TotalSeconds:F0}/s, 4 writers); " +
            $"resume (find by key + get + commit) over {Resumes}: median {median:F2} ms, p99 {p99:F2} ms, max {times[^1]:F2} ms " +
            $"(median find {Percentile(finds, 0.5):F2} ms, get {Percentile(gets, 0.5):F2} ms)"));
        Assert.Equal(Resumes, (await store.ListInstancesAsync(new InstanceQuery(Limit: Waiting))).Count(x => x.Version == 2));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];
    }

    private static string InstanceId(int i) => "inst-" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static string Key(int i) => $"host-{i % 1000}/job-{i}/READY";

    private static JsonObject RealisticState(int i) => new()
    {
        ["vars"] = new JsonObject
        {
            ["vm"] = "vm-" + i,
            ["host"] = "host-" + (i % 1000),
            ["disks"] = new JsonArray("vda", "vdb"),
            ["target"] = "/var/lib/virtflow/images/vm-" + i + "-vda.qcow2",
        },
        ["steps"] = new JsonObject
        {
            ["root/mirror"] = new JsonObject { ["status"] = "suspended", ["attempt"] = 1, ["job"] = "job-" + i },
            ["root/freeze"] = new JsonObject { ["status"] = "completed", ["at"] = "2030-01-01T12:00:00Z" },
        },
    };
}
