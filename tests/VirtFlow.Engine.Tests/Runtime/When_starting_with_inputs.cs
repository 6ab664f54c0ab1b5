using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_starting_with_inputs
{
    private const string Typed = """
        name: typed
        inputs:
          vm: { type: string, required: true }
          disks: { type: integer, default: 2 }
          mode: { type: string, enum: [live, offline], default: live }
          force: { type: boolean }
          window: { type: duration, default: 5m }
        steps:
          - { id: echo, type: test.probe, with: { name: echo, value: "${ inputs }" } }
        """;

    [Fact]
    public async Task Missing_optional_inputs_get_their_defaults()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var instance = await host.RunAsync(Typed, new JsonObject { ["vm"] = "vm-1", ["disks"] = "3" });

        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(3, JsonInt.Of(instance.Input["disks"]));
        Assert.Equal("live", instance.Input["mode"]!.GetValue<string>());
        Assert.Equal("5m", instance.Input["window"]!.GetValue<string>());
        Assert.False(instance.Input.ContainsKey("force"));
    }

    [Theory]
    [InlineData("""{ }""", "vm", "input 'vm' is required (string)")]
    [InlineData("""{ "vm": 42 }""", "vm", "input 'vm' must be a string, not 42")]
    [InlineData("""{ "vm": "x", "disks": 2.5 }""", "disks", "input 'disks' must be an integer, not 2.5")]
    [InlineData("""{ "vm": "x", "mode": "fast" }""", "mode", "input 'mode' must be one of live, offline, not 'fast'")]
    [InlineData("""{ "vm": "x", "window": "soon" }""", "window", "input 'window' must be a duration")]
    [InlineData("""{ "vm": "x", "colour": "red" }""", "colour", "unknown input 'colour'")]
    public async Task A_wrong_input_is_refused_naming_it(string inputs, string name, string message)
    {
        await using var host = await TestHost.CreateAsync("memory");
        var definition = host.Define(Typed);

        var ex = await Assert.ThrowsAsync<WorkflowInputException>(() => host.Engine.StartAsync(definition, JsonNode.Parse(inputs)!.AsObject()));

        Assert.Equal(name, ex.InputName);
        Assert.Contains(message, ex.Message);
        Assert.Empty(await host.Store.ListInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task Starting_with_an_existing_instance_id_starts_nothing_new()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var definition = host.Define(Typed);
        var options = new StartOptions { InstanceId = "migrate-vm-1", CorrelationId = "req-7" };

        var first = await host.Engine.StartAsync(definition, new JsonObject { ["vm"] = "vm-1" }, options);
        var second = await host.Engine.StartAsync(definition, new JsonObject { ["vm"] = "vm-1" }, options);

        Assert.Equal("migrate-vm-1", first);
        Assert.Equal(first, second);
        Assert.Equal(1, host.Probe.Count("echo"));
        Assert.Equal("req-7", (await host.InstanceAsync(first)).CorrelationId);
    }

    [Fact]
    public async Task A_retry_on_a_structural_step_is_refused_clearly()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var definition = host.Define("""
            name: bad-retry
            steps:
              - id: group
                type: sequence
                retry: { maxAttempts: 3 }
                steps: [ { id: a, type: log, with: { message: a } } ]
            """);

        var ex = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.Engine.StartAsync(definition));

        Assert.Contains("'retry' is supported on activity steps only, not on sequence 'group'", ex.Message);
    }
}
