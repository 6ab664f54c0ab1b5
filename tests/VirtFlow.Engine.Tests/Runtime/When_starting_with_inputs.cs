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

    private const string Disks = """
        name: disks
        inputs:
          disks:
            type: array
            required: true
            items:
              type: object
              required: [device, target]
              properties:
                device: { type: string }
                target: { type: string }
                format: { type: string, enum: [qcow2, raw], default: qcow2 }
          options: { type: object }
        steps:
          - { id: echo, type: test.probe, with: { name: echo, value: "${ inputs }" } }
        """;

    [Theory]
    [InlineData("""{ "disks": [ { "device": "vda", "target": "/t/vda.qcow2", "reuse": true } ] }""", "input disks[0]: unknown property 'reuse' (declared: device, target, format)")]
    [InlineData("""{ "disks": [ { "device": "vda", "target": "/t/a" }, { "device": "vdb", "target": "/t/b", "colour": "red" } ] }""", "input disks[1]: unknown property 'colour' (declared: device, target, format)")]
    [InlineData("""{ "disks": [ { "device": "vda" } ] }""", "input disks[0]: property 'target' is required")]
    [InlineData("""{ "disks": [ { "device": "vda", "target": "/t/a", "format": "vmdk" } ] }""", "input disks[0].format must be one of qcow2, raw, not 'vmdk'")]
    [InlineData("""{ "disks": [ "vda" ] }""", "input disks[0] must be an object, not \"vda\"")]
    [InlineData("""{ "disks": [], "options": { "nested": { "reuse": true } } }""", "input options.nested: unknown property 'reuse'; 'reuse' is accepted only where the workflow's input schema declares it")]
    public async Task An_item_property_the_schema_does_not_declare_is_refused_naming_it(string inputs, string message)
    {
        await using var host = await TestHost.CreateAsync("memory");
        var definition = host.Define(Disks);

        var ex = await Assert.ThrowsAsync<WorkflowInputException>(() => host.Engine.StartAsync(definition, JsonNode.Parse(inputs)!.AsObject()));

        Assert.Equal(message, Assert.Single(ex.Errors).Message);
        Assert.Empty(await host.Store.ListInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task Declared_item_properties_are_accepted()
    {
        await using var host = await TestHost.CreateAsync("memory");

        var instance = await host.RunAsync(Disks, JsonNode.Parse("""{ "disks": [ { "device": "vda", "target": "/t/vda.qcow2", "format": "raw" } ], "options": { "speed": 1 } }""")!.AsObject());

        Assert.Equal(InstanceStatus.Completed, instance.Status);
    }

    [Fact]
    public async Task Inputs_over_the_size_limit_are_refused_before_anything_is_stored()
    {
        await using var host = await TestHost.CreateAsync("memory");
        var definition = host.Define("""
            name: big
            inputs:
              note: { type: string }
              other: { type: string }
            steps: []
            """);
        var inputs = new JsonObject { ["note"] = new string('x', 2 * 1024 * 1024), ["other"] = "small" };

        var ex = await Assert.ThrowsAsync<WorkflowInputException>(() => host.Engine.StartAsync(definition, inputs));

        Assert.Equal("note", ex.InputName);
        Assert.Equal("invalid inputs for workflow 'big': the inputs take more than 1,048,576 bytes as JSON (limit MaxInputBytes); the largest is 'note' (2,097,154 bytes)", ex.Message);
        Assert.Empty(await host.Store.ListInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task The_input_size_limit_is_settable()
    {
        await using var host = await TestHost.CreateAsync("memory", new HostSettings { Options = new WorkflowEngineOptions { MaxInputBytes = 4096 } });
        var definition = host.Define("name: small\ninputs:\n  note: { type: string }\nsteps: []\n");

        await host.Engine.StartAsync(definition, new JsonObject { ["note"] = new string('x', 4000) });
        var ex = await Assert.ThrowsAsync<WorkflowInputException>(() => host.Engine.StartAsync(definition, new JsonObject { ["note"] = new string('x', 4100) }));

        Assert.Contains("the inputs take more than 4,096 bytes as JSON (limit MaxInputBytes); the largest is 'note' (4,102 bytes)", ex.Message);
    }
}
