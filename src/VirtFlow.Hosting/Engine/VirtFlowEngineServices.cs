using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Engine;

/// <summary>Registers the workflow engine and what it needs in a service collection.</summary>
public static class VirtFlowEngineServices
{
    /// <summary>
    /// Adds the engine: the store, the Jint evaluator (its limits from <see cref="VirtFlowEngineOptions.Expressions"/>, else
    /// configuration section <c>VirtFlow:Scripts</c>), the activity registry (built-ins, VM activities, and
    /// <see cref="VirtFlowEngineOptions.Activities"/>), the definition registry (reading definitions of running
    /// instances back from the store), the <see cref="WorkflowEngine"/> (with the <see cref="IOutboxTransport"/>
    /// registered, if any: the bus adds one) and its background loop. A second call adds nothing.
    /// </summary>
    public static IServiceCollection AddVirtFlowEngine(this IServiceCollection services, Action<VirtFlowEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(VirtFlowEngineOptions))) return services;
        var options = new VirtFlowEngineOptions();
        configure(options);
        options.Validate();
        var store = options.Store!;

        services.AddSingleton(options);
        services.TryAddSingleton(store);
        services.TryAddSingleton(TimeProvider.System);
        var expressions = options.Expressions ?? ScriptLimitsSettings.Load().ToOptions();
        expressions.Validate();
        services.TryAddSingleton<IExpressionEvaluator>(_ => new JintExpressionEvaluator(expressions));
        services.TryAddSingleton(sp =>
        {
            var registry = VirtFlowActivities.CreateRegistry();
            options.Activities?.Invoke(registry);
            return registry;
        });
        services.TryAddSingleton(sp =>
        {
            var registry = new WorkflowDefinitionRegistry(sp.GetRequiredService<IWorkflowStore>());
            foreach (var definition in options.Definitions) registry.Add(definition);
            return registry;
        });
        services.TryAddSingleton<IWorkflowDefinitionProvider>(sp => sp.GetRequiredService<WorkflowDefinitionRegistry>());
        services.TryAddSingleton(sp => new WorkflowEngine(
            options.Engine,
            sp.GetRequiredService<IWorkflowStore>(),
            sp.GetRequiredService<IExpressionEvaluator>(),
            sp.GetRequiredService<ActivityRegistry>(),
            sp.GetRequiredService<IWorkflowDefinitionProvider>(),
            sp.GetService<IOutboxTransport>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp));
        if (options.RunBackground)
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EngineBackgroundService>());
        return services;
    }
}
