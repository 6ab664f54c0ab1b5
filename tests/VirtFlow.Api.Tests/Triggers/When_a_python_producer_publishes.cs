using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Triggers;

/// <summary>
/// A non-.NET producer: Python's pika (Debian's python3-pika) publishes the documented format (docs/triggers.md: JSON body,
/// exchange <c>virtflow.msg.{messageType}</c>, <c>message_id</c>, <c>correlation_id</c>) and the instance starts.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_python_producer_publishes(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>The example of docs/triggers.md, with the broker's address and the message type as arguments.</summary>
    private const string Producer = """
        import json, sys
        import pika

        params = pika.URLParameters(sys.argv[1])
        connection = pika.BlockingConnection(params)
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            exchange="virtflow.msg." + sys.argv[2],
            routing_key="",
            body=json.dumps({"vm": "py-web1", "count": 2}),
            properties=pika.BasicProperties(
                content_type="application/json",
                delivery_mode=2,
                message_id="py-order-1",
                correlation_id="py-change-1",
            ),
        )
        connection.close()
        print("published")
        """;

    [Fact]
    public async Task The_instance_starts_with_its_fields_and_correlation_id()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Sqlite, postgres);
        var yaml = TriggerWorkflows.Greet.Replace("messageType: Greet", "messageType: GreetPy", StringComparison.Ordinal);
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: ("greet.yaml", yaml));
        var script = Path.Combine(TestDirs.Create("pika"), "producer.py");
        await File.WriteAllTextAsync(script, Producer);

        // Debian's interpreter, where python3-pika is installed (a python3 earlier on PATH, e.g. pyenv's, does not see it).
        var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, rabbit.Server.AmqpUri.ToString(), "GreetPy" }) start.ArgumentList.Add(arg);
        using var python = Process.Start(start)!;
        var (stdout, stderr) = (python.StandardOutput.ReadToEndAsync(), python.StandardError.ReadToEndAsync());
        await python.WaitForExitAsync();
        output.WriteLine(await stdout + await stderr);
        Assert.True(python.ExitCode == 0, $"python3 (needs python3-pika, see build.sh) exited {python.ExitCode}: {await stderr}");

        var item = await Eventually.Until(async () => (await When_a_message_trigger_receives_plain_json.ListAsync(api, "greet")).SingleOrDefault(),
            TimeSpan.FromSeconds(30), "the instance started by pika's message");
        var instance = (await api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{item["id"]}"))!;
        Assert.Equal("py-web1", instance["inputs"]!["vm"]!.GetValue<string>());
        Assert.Equal(2, instance["inputs"]!["count"]!.GetValue<int>());
        Assert.Equal("py-change-1", instance["correlationId"]!.GetValue<string>());
    }
}
