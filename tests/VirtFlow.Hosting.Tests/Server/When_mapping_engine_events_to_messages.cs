using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// Pure logic: the engine's events survive the trip through the server's messages (what <c>start --wait</c> shows is
/// what <c>run</c> shows), and a host command's time-to-live is never shorter than its step's wait.
/// </summary>
public sealed class When_mapping_engine_events_to_messages
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<EngineEvent> Events() => new()
    {
        new StepStarted("i1", "wf", At, "loop[2]/copy", "copy", "vm.mirror", 2, true),
        new StepSuspended("i1", "wf", At, "wait", "wait", ["reply:abc", "timer"]),
        new StepFaulted("i1", "wf", At, "copy", "copy", "no answer from host 'h1'", "NoAnswer", true),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void A_step_event_comes_back_equal(EngineEvent e)
    {
        var message = Assert.IsType<WorkflowProgress>(WorkflowEventMessages.ToMessage(e));
        var back = WorkflowEventMessages.ToEngineEvent(message);

        if (e is StepSuspended s)
        {
            var suspended = Assert.IsType<StepSuspended>(back);
            Assert.Equal(s.Bookmarks, suspended.Bookmarks);
            back = suspended with { Bookmarks = s.Bookmarks };
        }
        Assert.Equal(e, back);
    }

    [Fact]
    public void Progress_and_outputs_keep_their_data()
    {
        var progress = new ProgressReported("i1", "wf", At, "copy", "copy", new JsonObject { ["device"] = "vda", ["offset"] = 5L << 30, ["length"] = 10L << 30 });
        var completed = new StepCompleted("i1", "wf", At, "copy", "copy", new JsonObject { ["jobs"] = new JsonArray("j1") });

        var p = Assert.IsType<ProgressReported>(WorkflowEventMessages.ToEngineEvent((WorkflowProgress)WorkflowEventMessages.ToMessage(progress)!));
        var c = Assert.IsType<StepCompleted>(WorkflowEventMessages.ToEngineEvent((WorkflowProgress)WorkflowEventMessages.ToMessage(completed)!));

        Assert.Equal(5L << 30, p.Data["offset"]!.GetValue<long>());
        Assert.Equal("vda", p.Data["device"]!.GetValue<string>());
        Assert.Equal("j1", c.Outputs!["jobs"]![0]!.GetValue<string>());
    }

    [Fact]
    public void A_status_change_comes_back_with_its_outputs_and_a_rejection_is_no_engine_status()
    {
        var done = new InstanceStatusChanged("i1", "wf", At, InstanceStatus.Completed, null, new JsonObject { ["n"] = 3 });

        var message = Assert.IsType<WorkflowStatusChanged>(WorkflowEventMessages.ToMessage(done));
        var back = Assert.IsType<InstanceStatusChanged>(WorkflowEventMessages.ToEngineEvent(message));

        Assert.Equal("Completed", message.Status);
        Assert.True(WorkflowStatuses.IsFinal(message.Status));
        Assert.Equal(InstanceStatus.Completed, back.Status);
        Assert.Equal(3, back.Output!["n"]!.GetValue<int>());
        Assert.Null(WorkflowEventMessages.ToEngineEvent(message with { Status = WorkflowStatuses.Rejected }));
    }

    [Fact]
    public void A_command_lives_as_long_as_its_step_waits_plus_a_margin_and_a_compensation_forever()
    {
        var waited = new MirrorDisks { CommandId = "c1", HostId = "h1", Vm = "web1", Disks = [], ReplyWithin = TimeSpan.FromMinutes(2) };
        var compensation = waited with { ReplyWithin = null };

        Assert.Equal(TimeSpan.FromMinutes(2) + MassTransitOutboxTransport.TimeToLiveMargin, MassTransitOutboxTransport.TimeToLive(waited));
        Assert.True(MassTransitOutboxTransport.TimeToLive(waited) >= waited.ReplyWithin);
        Assert.Null(MassTransitOutboxTransport.TimeToLive(compensation));
    }
}
