using VirtFlow.Activities.Vm.Commands;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Fleet;

/// <summary>
/// An activity whose command is about the host, not one VM (<c>vm.createFolder</c>, <c>vm.pruneCopies</c>): its optional
/// <c>vm</c> input only names the VM in the worker's logs and errors (<c>*</c> when not given).
/// </summary>
public abstract class HostLevelActivity : CommandActivity
{
    /// <summary>The optional <c>vm</c> input, saying what the folder is for.</summary>
    private protected static ActivityInput VmNamed(string what) => new("vm", "string", $"The VM {what} (named in logs and errors).", Default: "*");

    protected override string VmOf(ActivityContext context) => context.OptionalString("vm") is { Length: > 0 } vm ? vm : "*";
}
