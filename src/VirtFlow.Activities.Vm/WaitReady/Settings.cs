using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>vm.waitReady's inputs, read on every call (the engine keeps the evaluated inputs, so they never change).</summary>
internal sealed record Settings(string Host, string Vm, TimeSpan Timeout, string TimeoutText, TimeSpan StallWindow, string StallWindowText, bool WriteBlocking, TimeSpan CommandTimeout)
{
    public static Settings Read(ActivityContext context)
    {
        var stall = context.OptionalObject("stall");
        var window = VmInputs.DurationOf(stall?["window"], "stall.window") ?? TimeSpan.FromSeconds(60);
        if (window <= TimeSpan.Zero) throw new VmInputException("input 'stall.window' must be longer than 0s");
        var action = VmInputs.StringOf(stall?["action"], "stall.action") ?? "fail";
        if (action is not ("fail" or "writeBlocking"))
            throw new VmInputException($"input 'stall.action' must be fail or writeBlocking, not '{action}'");
        var timeout = context.Duration("timeout", TimeSpan.FromHours(1));
        return new Settings(
            context.HostId(),
            context.RequiredString("vm"),
            timeout,
            Text(context.Inputs["timeout"], timeout),
            window,
            Text(stall?["window"], window),
            action == "writeBlocking",
            context.Duration("commandTimeout", CommonInputs.DefaultCommandTimeout));
    }

    /// <summary>A duration as the workflow wrote it (<c>60s</c> stays <c>60s</c>), else in short form.</summary>
    private static string Text(System.Text.Json.Nodes.JsonNode? written, TimeSpan value) =>
        written is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s.Trim() : VmInputs.Format(value);
}
