using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Engine;

/// <summary>What <see cref="VirtFlowEngineServices.AddVirtFlowEngine"/> composes.</summary>
public sealed class VirtFlowEngineOptions
{
    /// <summary>The store, already initialized (<see cref="StoreFactory.OpenAsync"/>). Required.</summary>
    public IWorkflowStore? Store { get; set; }

    /// <summary>The engine's settings.</summary>
    public WorkflowEngineOptions Engine { get; set; } = new();

    /// <summary>
    /// The script sandbox's limits; null (the default) reads them from configuration section <c>VirtFlow:Scripts</c>
    /// (<see cref="ScriptLimitsSettings.Load"/>: <c>appsettings.json</c> in the working folder, or the environment).
    /// </summary>
    public JintExpressionOptions? Expressions { get; set; }

    /// <summary>Adds activities beyond the built-in and VM ones (tests, plug-ins).</summary>
    public Action<ActivityRegistry>? Activities { get; set; }

    /// <summary>Definitions known by name from the start (for <c>call</c> steps and message triggers).</summary>
    public IList<WorkflowDefinition> Definitions { get; } = [];

    /// <summary>Run the background loop (timers, sweeps, recovery) as a hosted service. Default true.</summary>
    public bool RunBackground { get; set; } = true;

    internal void Validate()
    {
        if (Store is null) throw new ArgumentException("a store is required (VirtFlowEngineOptions.Store)", nameof(Store));
        ArgumentNullException.ThrowIfNull(Engine);
        Engine.Validate();
    }
}
