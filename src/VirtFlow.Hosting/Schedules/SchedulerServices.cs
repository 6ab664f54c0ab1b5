using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage.Schedules;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Schedules;

/// <summary>Puts the scheduler into a server's services (the firer, the Quartz host, the options).</summary>
public static class SchedulerServices
{
    public static IServiceCollection AddVirtFlowScheduler(this IServiceCollection services, SchedulerOptions options, string storeSpec, string nodeId)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<WorkflowEngine>();
            var store = engine.Store as IScheduleStore ?? throw new InvalidOperationException($"the store {engine.Store.GetType().Name} keeps no schedules");
            return new ScheduleFirer(engine, sp.GetRequiredService<WorkflowCatalog>(), store, TimeProvider.System, nodeId,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<ScheduleFirer>());
        });
        services.AddSingleton(sp => new VirtFlowScheduler(sp.GetRequiredService<ScheduleFirer>(), sp.GetRequiredService<WorkflowCatalog>(), options, storeSpec, nodeId,
            TimeProvider.System, sp.GetRequiredService<ILogger<VirtFlowScheduler>>()));
        services.AddHostedService(sp => sp.GetRequiredService<VirtFlowScheduler>());
        return services;
    }
}
