using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Messaging;

/// <summary>The bridge on MassTransit's in-memory bus: outbox rows out as messages, replies back in as engine events.</summary>
public sealed class When_messages_cross_the_in_memory_bus
{
    private const string Ask = """
        name: ask-recorder
        steps:
          - id: ask
            type: message.send
            with:
              destination: recorder
              messageType: Question
              payload: { q: "life" }
              waitForReply: true
              replyTimeout: 2m
        outputs:
          commandId: ${ steps.ask.outputs.commandId }
          reply: ${ steps.ask.outputs.reply }
        """;

    private static Task<EmbeddedVirtFlow> StartWithRecorderAsync(Recorder recorder) =>
        EmbeddedHost.StartAsync(o => o.Bus = bus => bus.Add(
            x =>
            {
                x.TryAddSingleton(recorder);
                x.AddConsumer<RecordingConsumer>().ExcludeFromConfigureEndpoints();
            },
            (context, cfg) => cfg.ReceiveEndpoint("recorder", e => e.ConfigureConsumer<RecordingConsumer>(context))));

    [Fact]
    public async Task A_message_that_is_not_a_host_command_goes_to_the_queue_named_by_its_destination_and_its_reply_resumes_the_instance()
    {
        var recorder = new Recorder();
        await using var host = await StartWithRecorderAsync(recorder);

        var instance = await host.RunAsync(Ask);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        var (message, transportId) = Assert.Single(recorder.Received);
        var commandId = instance.Output!["commandId"]!.GetValue<string>();
        Assert.Equal(commandId, message.MessageId);
        Assert.Equal("Question", message.MessageType);
        Assert.Equal("recorder", message.Destination);
        Assert.Equal(instance.Id, message.InstanceId);
        Assert.Equal("life", JsonNode.Parse(message.PayloadJson)!["q"]!.GetValue<string>());
        Assert.NotNull(transportId);
        var reply = instance.Output["reply"]!;
        Assert.Equal(commandId, reply["commandId"]!.GetValue<string>());
        Assert.True(reply["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_duplicated_reply_is_dropped_by_the_engine_inbox()
    {
        var recorder = new Recorder { RepliesPerMessage = 3 };
        await using var host = await StartWithRecorderAsync(recorder);

        var instance = await host.RunAsync(Ask);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        var journal = await host.Engine.GetJournalAsync(instance.Id);
        Assert.Single(journal, j => j.Kind == "Resumed" && j.StepPath == "ask");
        Assert.Single(journal, j => j.Kind == "StepStarted" && j.StepPath == "ask");
        Assert.Single(recorder.Received);
    }

    [Fact]
    public async Task An_outbox_message_sent_again_carries_the_same_message_id_and_broker_id()
    {
        var recorder = new Recorder { Reply = false };
        await using var host = await StartWithRecorderAsync(recorder);
        var transport = host.Services.GetRequiredService<IOutboxTransport>();
        var message = new OutboxMessage
        {
            Id = "i1:ask:1:0",
            InstanceId = "i1",
            Destination = "recorder",
            MessageType = "Question",
            Payload = new JsonObject { ["q"] = "again" },
        };

        await transport.SendAsync(message, CancellationToken.None);
        await transport.SendAsync(message, CancellationToken.None);

        await Eventually.Until(() => Task.FromResult(recorder.Received.Count == 2), TimeSpan.FromSeconds(30), "both sends consumed");
        var received = recorder.Received.ToArray();
        Assert.All(received, r => Assert.Equal("i1:ask:1:0", r.Message.MessageId));
        Assert.Equal(received[0].TransportId, received[1].TransportId);
    }

    [Fact]
    public async Task A_host_command_whose_payload_does_not_fit_its_contract_is_answered_with_a_failed_result()
    {
        await using var host = await EmbeddedHost.StartAsync();

        var instance = await host.RunAsync("""
            name: bad-command
            steps:
              - id: mirror
                type: message.send
                with:
                  destination: local
                  messageType: MirrorDisks
                  payload: { disks: "not a list" }
                  waitForReply: true
                  replyTimeout: 2m
            outputs:
              reply: ${ steps.mirror.outputs.reply }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        var reply = instance.Output!["reply"]!;
        Assert.False(reply["success"]!.GetValue<bool>());
        Assert.Equal("BadRequest", reply["errorClass"]!.GetValue<string>());
        Assert.Contains("MirrorDisks", reply["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_host_command_for_a_vm_the_worker_does_not_serve_gets_the_workers_answer()
    {
        await using var host = await EmbeddedHost.StartAsync();

        var instance = await host.RunAsync("""
            name: unknown-vm
            steps:
              - id: query
                type: message.send
                with:
                  destination: local
                  messageType: QueryVm
                  payload: { vm: nowhere }
                  waitForReply: true
                  replyTimeout: 2m
            outputs:
              reply: ${ steps.query.outputs.reply }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        var reply = instance.Output!["reply"]!;
        Assert.False(reply["success"]!.GetValue<bool>());
        Assert.Equal("UnknownVm", reply["errorClass"]!.GetValue<string>());
        Assert.Equal("local", reply["hostId"]!.GetValue<string>());
    }
}
