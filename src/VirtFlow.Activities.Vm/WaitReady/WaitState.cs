using System.Text.Json.Nodes;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>vm.waitReady's state (<c>deadline</c>, <c>jobs</c>), read from and saved to the activity's state object.</summary>
internal sealed class WaitState
{
    private readonly JsonObject _state;

    public WaitState(JsonObject state)
    {
        _state = state;
        Deadline = WatchedJob.Time(state["deadline"]) ?? DateTimeOffset.MaxValue;
        Jobs = state["jobs"] is JsonArray a ? a.OfType<JsonObject>().Select(WatchedJob.FromJson).ToList() : [];
    }

    public DateTimeOffset Deadline { get; set; }

    public List<WatchedJob> Jobs { get; set; }

    public WatchedJob? Find(string? jobId) => jobId is null ? null : Jobs.Find(j => j.Job.JobId == jobId);

    public void Save()
    {
        _state["deadline"] = Deadline.ToString("O");
        _state["jobs"] = new JsonArray(Jobs.Select(j => (JsonNode?)j.ToJson()).ToArray());
    }
}
