using VirtFlow.Activities.Vm;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Hosting.Engine;

/// <summary>The activities a VirtFlow process offers: the engine's built-ins and the VM activities.</summary>
public static class VirtFlowActivities
{
    /// <summary>A registry of every built-in activity (log, script, delay, waitEvent, http, call, message.send, ...) and the VM activities (vm.*).</summary>
    public static ActivityRegistry CreateRegistry()
    {
        return VmActivities.CreateRegistry();
    }
}
