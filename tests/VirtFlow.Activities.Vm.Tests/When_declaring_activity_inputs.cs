using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Mirror;
using VirtFlow.Activities.Vm.Pivot;
using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Activities.Vm.WaitReady;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Tests;

/// <summary>Every activity an engine knows declares its inputs once, on its input record; the descriptor is made of it.</summary>
public sealed class When_declaring_activity_inputs
{
    [Fact]
    public void Every_registered_activity_has_its_inputs_generated_from_its_record()
    {
        var registry = VmActivities.CreateRegistry();
        var withoutRecord = registry.All.Where(d => d.InputRecord is null).Select(d => d.Type).ToList();
        Assert.True(withoutRecord.Count == 0, $"activities with hand-written inputs (no input record): {string.Join(", ", withoutRecord)}");

        foreach (var descriptor in registry.All)
        {
            var generated = InputBinder.InputsOf(descriptor.InputRecord!);
            Assert.True(Same(generated, descriptor.Inputs), $"{descriptor.Type}: its inputs are not the ones its record {descriptor.InputRecord!.Name} declares");
        }
    }

    [Fact]
    public void Every_activity_binds_the_defaults_of_its_record()
    {
        foreach (var descriptor in VmActivities.CreateRegistry().All)
        {
            // The inputs a step would get with only its required inputs given (strings, or a one-item list of job ids).
            var inputs = new JsonObject();
            foreach (var input in descriptor.Inputs.Where(i => i.Required && i.Default is null))
            {
                inputs[input.Name] = input.Type switch
                {
                    "array" => new JsonArray("vf-a"),
                    "integer" => 1,
                    _ => "x",
                };
            }
            if (descriptor.Type == "vm.mirror") inputs["disks"] = new JsonArray(new JsonObject { ["device"] = "vda", ["target"] = "/t/a" });

            var bound = InputBinder.Bind(descriptor.InputRecord!, inputs);

            Assert.IsType(descriptor.InputRecord!, bound);
        }
    }

    [Fact]
    public async Task A_mirror_disk_without_a_target_faults_naming_the_item()
    {
        var context = new FakeContext(new JsonObject
        {
            ["vm"] = "web1",
            ["disks"] = new JsonArray(new JsonObject { ["device"] = "vda", ["target"] = "/t/a" }, new JsonObject { ["device"] = "vdb" }),
        });

        var outcome = Assert.IsType<ActivityOutcome.Faulted>(await new MirrorActivity().ExecuteAsync(context, default));

        Assert.Equal(("vm.mirror: input 'disks': item 2 has no 'target'", "InvalidInput"), (outcome.Message, outcome.Code));
        Assert.Empty(context.Sent);
    }

    [Fact]
    public async Task A_job_that_is_neither_an_id_nor_a_job_object_faults_naming_the_item()
    {
        var context = new FakeContext(new JsonObject { ["vm"] = "web1", ["jobs"] = new JsonArray("vf-a", new JsonObject { ["device"] = "vdb" }) });

        var outcome = Assert.IsType<ActivityOutcome.Faulted>(await new PivotActivity().ExecuteAsync(context, default));

        Assert.Equal(
            "vm.pivot: input 'jobs': item 2 must be a job id or an object with a jobId (the jobs output of vm.mirror), not {\"device\":\"vdb\"}",
            outcome.Message);
        Assert.Empty(context.Sent);
    }

    [Fact]
    public async Task A_stall_setting_is_checked_field_by_field_with_the_others_defaulted()
    {
        var wrong = new FakeContext(new JsonObject { ["vm"] = "web1", ["jobs"] = new JsonArray("vf-a"), ["stall"] = new JsonObject { ["action"] = "retry" } });
        var partial = new FakeContext(new JsonObject { ["vm"] = "web1", ["jobs"] = new JsonArray("vf-a"), ["stall"] = new JsonObject { ["action"] = "writeBlocking" } });

        var refused = Assert.IsType<ActivityOutcome.Faulted>(await new WaitReadyActivity().ExecuteAsync(wrong, default));
        var waiting = Assert.IsType<ActivityOutcome.Suspended>(await new WaitReadyActivity().ExecuteAsync(partial, default));

        Assert.Equal("vm.waitReady: input 'stall.action' must be one of fail, writeBlocking, not 'retry'", refused.Message);
        Assert.Contains(waiting.Bookmarks, b => b.Name == "stall-check" && b.DueAt == partial.Clock.GetUtcNow() + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_mirror_with_a_write_blocking_copy_mode_sends_it_as_written()
    {
        var context = new FakeContext(new JsonObject
        {
            ["vm"] = "web1",
            ["disks"] = new JsonArray(new JsonObject { ["device"] = "vda", ["target"] = "/t/a" }),
            ["copyMode"] = "write-blocking",
        });

        Assert.IsType<ActivityOutcome.Suspended>(await new MirrorActivity().ExecuteAsync(context, default));

        var (_, destination, _, payload) = Assert.Single(context.Sent);
        Assert.Equal("local", destination);
        Assert.Contains("\"write-blocking\"", payload.ToJsonString(), StringComparison.Ordinal);
    }

    private static bool Same(IReadOnlyList<ActivityInput> a, IReadOnlyList<ActivityInput> b) =>
        a.Count == b.Count && a.Zip(b).All(p =>
            p.First.Name == p.Second.Name && p.First.Type == p.Second.Type && p.First.Description == p.Second.Description
            && p.First.Required == p.Second.Required && JsonNode.DeepEquals(p.First.Default, p.Second.Default)
            && (p.First.Enum ?? []).SequenceEqual(p.Second.Enum ?? []) && JsonNode.DeepEquals(p.First.ItemSchema, p.Second.ItemSchema));
}
