using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>What the VM activities' descriptors share (their inputs are records: <see cref="HostInputs"/>, <see cref="VmInputs"/>).</summary>
internal static class CommonInputs
{
    public const string Category = "vm";

    /// <summary>The end of a <c>jobs</c> input's description: "The mirror jobs to cancel: " + this.</summary>
    public const string JobsSource = "the jobs output of vm.mirror or vm.waitReady, or job ids.";

    /// <summary>The schema of an item of a <c>jobs</c> input: a job id, or an object with a jobId.</summary>
    public static JsonObject JobItemSchema() => new()
    {
        ["oneOf"] = new JsonArray(
            new JsonObject { ["type"] = "string", ["description"] = "A QEMU job id." },
            new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("jobId"),
                ["properties"] = new JsonObject
                {
                    ["jobId"] = new JsonObject { ["type"] = "string" },
                    ["device"] = new JsonObject { ["type"] = "string" },
                    ["target"] = new JsonObject { ["type"] = "string" },
                    ["format"] = new JsonObject { ["type"] = "string" },
                    ["sourceNode"] = new JsonObject { ["type"] = "string" },
                    ["targetNode"] = new JsonObject { ["type"] = "string" },
                    ["copyMode"] = new JsonObject { ["type"] = "string" },
                },
            }),
    };

    public static ActivityOutput JobsOutput(string what) =>
        new("jobs", "array", $"{what}: [{{ device, jobId, target, format, sourceNode, targetNode, copyMode }}].");
}
