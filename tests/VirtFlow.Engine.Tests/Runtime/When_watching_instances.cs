using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_watching_instances
{
    [Fact]
    public async Task The_live_stream_reports_status_steps_and_progress()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var definition = host.Define("""
            name: watched
            steps:
              - { id: copy, type: test.probe, with: { name: copy, progress: true } }
              - { id: wait, type: waitEvent, with: { event: go } }
            """);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<EngineEvent>();
        var raised = new List<EngineEvent>();
        host.Engine.EventRaised += e => { lock (raised) raised.Add(e); };
        // The first MoveNextAsync subscribes before it returns: nothing started after it is missed.
        var stream = host.Engine.SubscribeAsync(e => e.WorkflowName == "watched", ct: cts.Token).GetAsyncEnumerator(cts.Token);
        var next = stream.MoveNextAsync();
        var reader = Task.Run(async () =>
        {
            await using (stream)
            {
                while (await next)
                {
                    seen.Add(stream.Current);
                    if (stream.Current is InstanceStatusChanged { Status: InstanceStatus.Completed }) return;
                    next = stream.MoveNextAsync();
                }
            }
        });

        var id = await host.Engine.StartAsync(definition);
        var completion = host.Engine.WaitForCompletionAsync(id, cts.Token);
        Assert.False(completion.IsCompleted);
        await host.Engine.PublishEventAsync(new EventEnvelope("go-1", "event:go"));
        var done = await completion;
        await reader;

        Assert.Equal(InstanceStatus.Completed, done.Status);
        var statuses = seen.OfType<InstanceStatusChanged>().Select(e => e.Status).ToList();
        Assert.Equal([InstanceStatus.Running, InstanceStatus.Suspended, InstanceStatus.Running, InstanceStatus.Completed], statuses);
        var progress = Assert.Single(seen.OfType<ProgressReported>());
        Assert.Equal(50, JsonInt.Of(progress.Data["percent"]));
        Assert.Contains(seen, e => e is StepStarted { StepPath: "copy" });
        Assert.Contains(seen, e => e is StepCompleted { StepPath: "copy" });
        Assert.Contains(seen, e => e is StepSuspended { StepPath: "wait" });
        Assert.Equal(seen.Count, raised.Count);
        Assert.Contains(await host.JournalAsync(id), j => j.Kind == "Progress" && j.StepPath == "copy");
    }

    [Fact]
    public async Task The_http_activity_returns_status_headers_and_parsed_json()
    {
        var handler = new StubHandler();
        await using var host = await TestHost.CreateAsync("memory", new HostSettings { HttpClient = new HttpClient(handler) });
        var instance = await host.RunAsync("""
            name: call-api
            steps:
              - id: get
                type: http
                with:
                  method: POST
                  url: http://inventory.test/vms/vm-42
                  headers: { x-token: abc }
                  body: { action: check }
              - id: strict
                type: http
                continueOnError: true
                with: { url: http://inventory.test/missing }
            outputs:
              state: ${ steps.get.outputs.body.state }
              status: ${ steps.get.outputs.status }
            """);

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("running", instance.Output!["state"]!.GetValue<string>());
        Assert.Equal(200, JsonInt.Of(instance.Output!["status"]));
        Assert.Equal("""{"action":"check"}""", handler.Bodies[0]);
        Assert.Equal("abc", handler.Tokens[0]);
        var error = TestHost.Steps(instance)["strict"]!["error"]!;
        Assert.Equal("HttpStatus", error["code"]!.GetValue<string>());
        Assert.StartsWith("http GET http://inventory.test/missing answered 404", error["message"]!.GetValue<string>());
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];
        public List<string?> Tokens { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            Tokens.Add(request.Headers.TryGetValues("x-token", out var v) ? v.Single() : null);
            if (request.RequestUri!.AbsolutePath.EndsWith("missing", StringComparison.Ordinal))
                return new HttpResponseMessage(System.Net.HttpStatusCode.NotFound);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(new JsonObject { ["state"] = "running" }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }
}
