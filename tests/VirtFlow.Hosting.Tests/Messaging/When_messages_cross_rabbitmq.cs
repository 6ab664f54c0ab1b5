using MassTransit;
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
public sealed class When_messages_cross_rabbitmq(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task Commands_reach_the_worker_and_messages_their_queue_and_the_answers_resume_the_instances()
    {
        var recorder = new Recorder();
        await using var host = await EmbeddedHost.StartAsync(o =>
        {
            o.Transport = BusTransport.RabbitMq(rabbit.Server.AmqpUri);
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
}
