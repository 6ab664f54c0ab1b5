using VirtFlow.Activities.Vm.Cancel;
using VirtFlow.Activities.Vm.Commands;
using VirtFlow.Activities.Vm.Mirror;
using VirtFlow.Activities.Vm.Pivot;
using VirtFlow.Activities.Vm.Quiesce;
using VirtFlow.Activities.Vm.WaitReady;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm;

/// <summary>The VM activities (category <c>vm</c>): registration into an engine's <see cref="ActivityRegistry"/>.</summary>
public static class VmActivities
{
    /// <summary>A new instance of every VM activity (they are stateless and thread-safe: one instance serves every execution).</summary>
    public static IReadOnlyList<IActivity> Create() =>
    [
        new MirrorActivity(),
        new WaitReadyActivity(),
        new QuiesceActivity(),
        new UnquiesceActivity("vm.unquiesce"),
        new UnquiesceActivity("vm.thaw"),
        new PivotActivity(),
        new CancelActivity(),
        new PauseActivity(),
        new ResumeActivity(),
        new QueryActivity(),
        new QmpActivity(),
        new RenewQuiesceActivity(),
        new Fleet.ListVmsActivity(),
        new Fleet.PruneCopiesActivity(),
        new Fleet.CreateFolderActivity(),
        new Inspect.InspectActivity(),
    ];

    /// <summary>Registers every VM activity: vm.mirror, vm.waitReady, vm.quiesce, vm.unquiesce, vm.thaw, vm.pivot, vm.cancel, vm.pause, vm.resume, vm.query, vm.qmp, vm.renewQuiesce, vm.list, vm.pruneCopies, vm.createFolder, vm.inspect.</summary>
    /// <param name="registry">The engine's registry (also the validator's catalog).</param>
    /// <param name="replace">Replace activities already registered under the same names instead of throwing.</param>
    public static ActivityRegistry Register(ActivityRegistry registry, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var activity in Create()) registry.Register(activity, replace);
        return registry;
    }

    /// <summary>The built-in activities plus the VM activities: what a VirtFlow engine (and <c>virtflow validate</c>) knows.</summary>
    public static ActivityRegistry CreateRegistry(HttpClient? httpClient = null) => Register(ActivityRegistry.CreateDefault(httpClient));
}
