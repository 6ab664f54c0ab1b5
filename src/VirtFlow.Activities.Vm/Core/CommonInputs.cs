using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>Inputs and outputs shared by the VM activities' descriptors.</summary>
internal static class CommonInputs
{
    public const string Category = "vm";

    /// <summary>How long a command's reply may take by default.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromMinutes(2);

    public static ActivityInput Host { get; } = new("host", "string", "The host (hypervisor) whose worker runs the VM.", Default: "local");

    public static ActivityInput Vm { get; } = new("vm", "string", "The VM's name as the host's worker knows it.", Required: true);

    public static ActivityInput CommandTimeout { get; } = new("commandTimeout", "duration",
        "How long to wait for the host's answer to each command; a host no worker serves faults after it.", Default: "2m");

    public static ActivityInput Jobs(string what) => new("jobs", "array",
        $"The mirror jobs {what}: the jobs output of vm.mirror or vm.waitReady, or job ids.", Required: true, ItemSchema: JobItemSchema());

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
