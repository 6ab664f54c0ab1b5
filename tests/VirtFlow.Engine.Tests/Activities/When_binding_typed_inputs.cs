using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Engine.Tests.Activities;

/// <summary>The typed-input binder (pure logic): defaults, required inputs, types, enums, items and fields named in errors.</summary>
public sealed class When_binding_typed_inputs
{
    [Fact]
    public void Defaults_are_applied_to_what_is_not_given()
    {
        var bound = InputBinder<CopyInputs>.Bind(new JsonObject { ["vm"] = "web1", ["disks"] = new JsonArray(DiskJson("vda", "/t/a")) });

        Assert.Equal("local", bound.Host);
        Assert.Equal("web1", bound.Vm);
        Assert.Equal(0, bound.Speed);
        Assert.Equal(Mode.Background, bound.CopyMode);
        Assert.Equal(TimeSpan.FromMinutes(2), bound.CommandTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), bound.Stall.Window);
        Assert.Null(bound.Note);
        var disk = Assert.Single(bound.Disks);
        Assert.Equal(new Disk("vda", "/t/a", "qcow2", false), disk);
    }

    [Fact]
    public void Given_values_are_read_in_their_types()
    {
        var bound = InputBinder<CopyInputs>.Bind(new JsonObject
        {
            ["host"] = "h2",
            ["vm"] = "web1",
            ["disks"] = new JsonArray(new JsonObject { ["device"] = "vdb", ["target"] = "/t/b", ["format"] = "raw", ["reuse"] = true }),
            ["speed"] = 1048576,
            ["copyMode"] = "write-blocking",
            ["commandTimeout"] = "1h30m",
            ["stall"] = new JsonObject { ["window"] = 30 },
            ["note"] = "hello",
        });

        Assert.Equal("h2", bound.Host);
        Assert.Equal(1048576, bound.Speed);
        Assert.Equal(Mode.WriteBlocking, bound.CopyMode);
        Assert.Equal(TimeSpan.FromMinutes(90), bound.CommandTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), bound.Stall.Window);
        Assert.Equal("hello", bound.Note);
        Assert.Equal(new Disk("vdb", "/t/b", "raw", true), Assert.Single(bound.Disks));
    }

    [Fact]
    public void An_empty_text_takes_the_default()
    {
        var bound = InputBinder<CopyInputs>.Bind(new JsonObject { ["host"] = "", ["vm"] = "web1", ["disks"] = new JsonArray() });

        Assert.Equal("local", bound.Host);
    }

    [Theory]
    [InlineData("""{ "disks": [] }""", "input 'vm' is required")]
    [InlineData("""{ "vm": "", "disks": [] }""", "input 'vm' is required")]
    [InlineData("""{ "vm": null, "disks": [] }""", "input 'vm' is required")]
    [InlineData("""{ "vm": "web1" }""", "input 'disks' is required")]
    public void A_missing_required_input_is_named(string inputs, string message) =>
        Assert.Equal(message, Refused(inputs));

    [Theory]
    [InlineData("""{ "vm": "web1", "disks": [], "speed": "fast" }""", "input 'speed' must be a whole number of 0 or more, not \"fast\"")]
    [InlineData("""{ "vm": "web1", "disks": [], "speed": -1 }""", "input 'speed' must be a whole number of 0 or more, not -1")]
    [InlineData("""{ "vm": "web1", "disks": [], "speed": 2.5 }""", "input 'speed' must be a whole number of 0 or more, not 2.5")]
    [InlineData("""{ "vm": { "name": "web1" }, "disks": [] }""", "input 'vm' must be text, not {\"name\":\"web1\"}")]
    [InlineData("""{ "vm": "web1", "disks": "vda" }""", "input 'disks' must be a list, not \"vda\"")]
    [InlineData("""{ "vm": "web1", "disks": [], "stall": "1m" }""", "input 'stall' must be an object { window }, not \"1m\"")]
    public void A_value_of_the_wrong_type_is_named(string inputs, string message) =>
        Assert.Equal(message, Refused(inputs));

    [Fact]
    public void A_wrong_duration_names_the_input_and_the_accepted_forms()
    {
        var message = Refused("""{ "vm": "web1", "disks": [], "commandTimeout": "soon" }""");

        Assert.StartsWith("input 'commandTimeout' is not a duration: \"soon\" (use e.g. 500ms, 30s", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_of_an_object_input_is_named_with_a_dot() =>
        Assert.Equal("input 'stall.window' must be longer than 0s", Refused("""{ "vm": "web1", "disks": [], "stall": { "window": "0s" } }"""));

    [Theory]
    [InlineData("""{ "vm": "web1", "disks": [], "copyMode": "turbo" }""", "input 'copyMode' must be one of background, write-blocking, not 'turbo'")]
    [InlineData("""{ "vm": "web1", "disks": [], "copyMode": "writeBlocking" }""", "input 'copyMode' must be one of background, write-blocking, not 'writeBlocking'")]
    [InlineData("""{ "vm": "web1", "disks": [], "copyMode": 3 }""", "input 'copyMode' must be one of background, write-blocking, not 3")]
    [InlineData("""{ "vm": "web1", "disks": [ { "device": "vda", "target": "/t/a", "format": "vmdk" } ] }""", "input 'disks': item 1: 'format' must be one of qcow2, raw, not 'vmdk'")]
    public void A_value_outside_an_enum_lists_the_allowed_values(string inputs, string message) =>
        Assert.Equal(message, Refused(inputs));

    [Theory]
    [InlineData("""{ "vm": "web1", "disks": [ { "device": "vda", "target": "/t/a" }, { "device": "vdb" } ] }""", "input 'disks': item 2 has no 'target'")]
    [InlineData("""{ "vm": "web1", "disks": [ { "device": "vda", "target": "/t/a" }, { "device": "vdb", "target": "" } ] }""", "input 'disks': item 2 has no 'target'")]
    [InlineData("""{ "vm": "web1", "disks": [ { "device": "vda", "target": "/t/a", "reuse": "maybe" } ] }""", "input 'disks': item 1: 'reuse' must be true or false, not \"maybe\"")]
    [InlineData("""{ "vm": "web1", "disks": [ "vda" ] }""", "input 'disks': item 1 must be an object { device, target, format, reuse }, not \"vda\"")]
    [InlineData("""{ "vm": "web1", "disks": [ { "device": "vda", "target": "/t/a" }, null ] }""", "input 'disks': item 2 must be an object { device, target, format, reuse }, not null")]
    public void An_error_in_an_item_names_the_item_and_its_field(string inputs, string message) =>
        Assert.Equal(message, Refused(inputs));

    [Fact]
    public void The_descriptor_inputs_are_generated_from_the_record()
    {
        var descriptor = new ActivityDescriptor { Type = "test.copy", Description = "Copies.", InputRecord = typeof(CopyInputs) };
        var inputs = descriptor.Inputs.ToDictionary(i => i.Name);

        Assert.Equal(["host", "vm", "disks", "speed", "copyMode", "commandTimeout", "stall", "note"], descriptor.Inputs.Select(i => i.Name));
        Assert.Equal(("string", "The host.", false), (inputs["host"].Type, inputs["host"].Description, inputs["host"].Required));
        Assert.Equal("\"local\"", inputs["host"].Default!.ToJsonString());
        Assert.True(inputs["vm"].Required);
        Assert.Null(inputs["vm"].Default);
        Assert.Equal("integer", inputs["speed"].Type);
        Assert.Equal("0", inputs["speed"].Default!.ToJsonString());
        Assert.Equal("string", inputs["copyMode"].Type);
        Assert.Equal(["background", "write-blocking"], inputs["copyMode"].Enum!);
        Assert.Equal("duration", inputs["commandTimeout"].Type);
        Assert.Equal("object", inputs["stall"].Type);
        Assert.Equal("""{"window":"60s"}""", inputs["stall"].Default!.ToJsonString());
        Assert.False(inputs["note"].Required);
        Assert.Equal("array", inputs["disks"].Type);
        Assert.Equal(
            """{"type":"object","required":["device","target"],"properties":{"device":{"type":"string","description":"The disk."},"target":{"type":"string","description":"The target."},"format":{"type":"string","enum":["qcow2","raw"],"default":"qcow2"},"reuse":{"type":"boolean","default":false,"description":"Reuse it."}}}""",
            inputs["disks"].ItemSchema!.ToJsonString());
    }

    [Fact]
    public void A_context_binds_once_per_call()
    {
        var context = new InputsOnlyContext(new JsonObject { ["vm"] = "web1", ["disks"] = new JsonArray() });

        Assert.Same(context.Bind<CopyInputs>(), context.Bind<CopyInputs>());
        Assert.Same(context.Bind<CopyInputs>(), context.Bind(typeof(CopyInputs)));
    }

    [Fact]
    public void A_record_whose_optional_input_can_be_neither_given_nor_null_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => InputBinder.InputsOf(typeof(Careless)));

        Assert.Contains("Careless.Name: an input neither required nor with a default must be nullable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_that_does_not_fit_its_type_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => InputBinder.InputsOf(typeof(BadDefault)));

        Assert.Contains("BadDefault.Wait: its default does not fit: input 'wait' is not a duration", e.Message, StringComparison.Ordinal);
    }

    private static string Refused(string inputs) =>
        Assert.Throws<ActivityInputException>(() => InputBinder<CopyInputs>.Bind(JsonNode.Parse(inputs)!.AsObject())).Message;

    private static JsonObject DiskJson(string device, string target) => new() { ["device"] = device, ["target"] = target };

    internal enum Mode
    {
        Background,

        [JsonStringEnumMemberName("write-blocking")]
        WriteBlocking,
    }

    internal sealed record Disk(
        [property: Input("The disk.", Required = true)] string Device,
        [property: Input("The target.", Required = true)] string Target,
        [property: Input("", Default = "qcow2", Enum = ["qcow2", "raw"])] string Format,
        [property: Input("Reuse it.", Default = false)] bool Reuse);

    internal sealed record Stall([property: Input("How long.", Default = "60s", Positive = true)] TimeSpan Window);

    internal record HostPart(
        [property: Input("The host.", Default = "local")] string Host,
        [property: Input("How long an answer may take.", Default = "2m")] TimeSpan CommandTimeout);

    internal sealed record CopyInputs(
        string Host,
        [property: Input("The VM.", Required = true)] string Vm,
        [property: Input("The disks.", Required = true)] IReadOnlyList<Disk> Disks,
        [property: Input("Bytes per second.", Default = 0, Min = 0)] long Speed,
        [property: Input("How.", Default = "background")] Mode CopyMode,
        TimeSpan CommandTimeout,
        [property: Input("The stall detector.", DefaultJson = """{"window":"60s"}""")] Stall Stall,
        [property: Input("Anything.")] string? Note) : HostPart(Host, CommandTimeout);

    internal sealed record Careless([property: Input("A name.")] string Name);

    internal sealed record BadDefault([property: Input("A wait.", Default = "soon")] TimeSpan Wait);

    private sealed class InputsOnlyContext(JsonObject inputs) : ActivityContext
    {
        public override string InstanceId => "i-1";
        public override string WorkflowName => "test";
        public override string StepId => "step";
        public override string StepPath => "step";
        public override int Attempt => 1;
        public override JsonObject Inputs { get; } = inputs;
        public override JsonObject State { get; } = new();
        public override TimeProvider Clock => TimeProvider.System;
        public override Microsoft.Extensions.Logging.ILogger Logger => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public override IServiceProvider Services => throw new NotSupportedException();
        public override string SendCommand(string destination, string messageType, JsonObject payload) => throw new NotSupportedException();
        public override void Journal(string kind, string message, JsonNode? data = null) => throw new NotSupportedException();
        public override void ReportProgress(JsonObject progress) => throw new NotSupportedException();
        public override JsonNode? GetVariable(string name) => null;
        public override void SetVariable(string name, JsonNode? value) => throw new NotSupportedException();
        public override JsonNode? Evaluate(string expression) => throw new NotSupportedException();
    }
}
