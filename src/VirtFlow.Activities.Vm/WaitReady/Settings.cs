using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>vm.waitReady's inputs as its calls use them (the engine keeps the evaluated inputs, so they never change).</summary>
internal sealed record Settings(string Host, string Vm, TimeSpan Timeout, string TimeoutText, TimeSpan StallWindow, string StallWindowText, bool WriteBlocking, TimeSpan CommandTimeout)
{
    public static Settings Of(WaitReadyInputs with, ActivityContext context) => new(
        with.Host,
        with.Vm,
        with.Timeout,
        DurationText.AsWritten(context.Inputs["timeout"], with.Timeout),
        with.Stall.Window,
        DurationText.AsWritten(context.Inputs["stall"]?["window"], with.Stall.Window),
        with.Stall.Action == StallAction.WriteBlocking,
        with.CommandTimeout);
}
