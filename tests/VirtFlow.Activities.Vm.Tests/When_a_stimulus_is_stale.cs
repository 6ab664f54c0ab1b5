using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Activities.Vm.Pivot;
using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Tests;

public sealed class When_a_stimulus_is_stale
{
    [Fact]
    public async Task A_reply_timer_hit_together_with_its_reply_does_not_fault_the_next_command()
    {
        var activity = new PivotActivity();
        var context = new FakeContext(new JsonObject { ["host"] = "local", ["vm"] = "web1", ["jobs"] = new JsonArray("vf-a") }, stepPath: "pivot");
        var first = Assert.IsType<ActivityOutcome.Suspended>(await activity.ExecuteAsync(context, default));
        var timer = first.Bookmarks.Single(b => b.DueAt is not null);
        var reply = new CommandResult
        {
            EventId = "local/result/i-1:pivot:1:1",
            HostId = "local",
            CommandId = "i-1:pivot:1:1",
            Vm = "web1",
            Success = true,
            ResultJson = HostResultJson.Serialize(new PivotJobsResult([new PivotedJob("vf-a", "vda", "tgt-vf-a", false)], 1, 1, 2)),
        };

        // The reply and the timer were both accepted before the activity ran: the reply first...
        var second = await activity.ResumeAsync(context, new ActivityStimulus("reply", "reply:i-1:pivot:1:1", HostMessageJson.ToEngineEvent(reply).Payload, false, reply.EventId, first.Bookmarks[0].Data), default);
        Assert.Equal("DismissJobs", context.Sent[^1].Type);
        Assert.IsType<ActivityOutcome.Suspended>(second);

        // ...then the old timer: ignored, the wait for the dismiss goes on.
        var third = await activity.ResumeAsync(context, new ActivityStimulus("reply-timeout", null, null, true, null, timer.Data), default);
        var suspended = Assert.IsType<ActivityOutcome.Suspended>(third);
        Assert.Contains(suspended.Bookmarks, b => b.Key == "reply:i-1:pivot:1:2");
        Assert.Equal(2, context.Sent.Count);
        Assert.Equal("i-1:pivot:1:2", JsonSerializer.Deserialize<JsonObject>(context.State["command"]!.ToJsonString())!["id"]!.GetValue<string>());
    }
}
