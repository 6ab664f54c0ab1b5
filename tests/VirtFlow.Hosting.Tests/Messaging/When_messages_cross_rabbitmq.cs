using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Tests.Support;

namespace VirtFlow.Hosting.Tests.Messaging;

/// <summary>
/// The same composition on RabbitMQ instead of the in-memory transport (only the transport changes): a host command
/// reaches the worker's queue and its answer resumes the instance; a workflow message reaches its queue and the reply
/// comes back.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_messages_cross_rabbitmq(RabbitMqFixture rabbit, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public Task Commands_reach_the_worker_and_messages_their_queue_and_the_answers_resume_the_instances() =>
        RunAsync().WaitAsync(TimeSpan.FromMinutes(4));

    private async Task RunAsync()
    {
        var recorder = new Recorder();
        await using var host = await EmbeddedHost.StartAsync(o =>
        {
            o.Transport = BusTransport.RabbitMq(rabbit.Server.AmqpUri);
            o.Logging = logging => logging.AddProvider(new TestOutputLoggerProvider(output, Microsoft.Extensions.Logging.LogLevel.Debug));
            o.HostId = "hv-" + Guid.NewGuid().ToString("N")[..6];
            o.Bus = bus => bus.Add(
                x =>
                {
                    x.TryAddSingleton(recorder);
                    x.AddConsumer<RecordingConsumer>().ExcludeFromConfigureEndpoints();
                },
                (context, cfg) => cfg.ReceiveEndpoint("recorder", e => e.ConfigureConsumer<RecordingConsumer>(context)));
        });
        var hostId = host.Worker.HostId;

        var query = await host.RunAsync($$"""
            name: query-over-rabbitmq
            steps:
              - id: query
                type: message.send
                with:
                  destination: {{hostId}}
                  messageType: QueryVm
                  payload: { vm: nowhere }
                  waitForReply: true
                  replyTimeout: 2m
              - id: ask
                type: message.send
                with:
                  destination: recorder
                  messageType: Question
                  payload: { q: "over rabbitmq" }
                  waitForReply: true
                  replyTimeout: 2m
            outputs:
              query: ${ steps.query.outputs.reply }
              ask: ${ steps.ask.outputs.reply }
            """);

        Assert.True(query.Status == InstanceStatus.Completed, query.Fault);
        Assert.Equal("UnknownVm", query.Output!["query"]!["errorClass"]!.GetValue<string>());
        Assert.Equal(hostId, query.Output["query"]!["hostId"]!.GetValue<string>());
        Assert.True(query.Output["ask"]!["success"]!.GetValue<bool>());
        Assert.Single(recorder.Received);
    }

    [Fact]
    public Task A_broker_that_refuses_a_message_does_not_hold_the_engine() => RefusedAsync().WaitAsync(TimeSpan.FromMinutes(4));

    private async Task RefusedAsync()
    {
        var sendFailures = 0;
        await using var host = await EmbeddedHost.StartAsync(o =>
        {
            o.Transport = BusTransport.RabbitMq(rabbit.Server.AmqpUri);
            o.HostId = "hv-" + Guid.NewGuid().ToString("N")[..6];
            o.Logging = logging => logging.AddProvider(new TestOutputLoggerProvider(output, LogLevel.Information, e => Interlocked.Increment(ref sendFailures)));
            o.Bus = bus =>
            {
                bus.SendTimeout = TimeSpan.FromSeconds(3);
                // A queue declared with an argument the sender does not give: RabbitMQ refuses every send to it.
                bus.Add(_ => { }, (_, cfg) => cfg.ReceiveEndpoint("refusing", e =>
                {
                    ((IRabbitMqReceiveEndpointConfigurator)e).SingleActiveConsumer = true;
                    e.Handler<WorkflowMessage>(_ => Task.CompletedTask);
                }));
            };
        });

        var instance = await host.RunAsync("""
            name: refused
            steps:
              - id: ask
                type: message.send
                with: { destination: refusing, messageType: Question, waitForReply: true, replyTimeout: 8s }
            """);

        Assert.Equal(InstanceStatus.Faulted, instance.Status);
        Assert.Contains("no reply within 8s", instance.Fault);
        Assert.True(sendFailures > 0, "the send timed out and was retried");
        var pending = await host.Store.GetPendingOutboxAsync(10);
        var row = Assert.Single(pending, m => m.InstanceId == instance.Id);
        Assert.True(row.Attempts >= 1);
        Assert.Contains("did not take Question", row.LastError);
    }
}
