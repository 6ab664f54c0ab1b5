using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Triggers;

namespace VirtFlow.Hosting.Triggers;

/// <summary>Registers the message triggers of a server (after its bus and engine).</summary>
public static class MessageTriggerServices
{
    /// <summary>
    /// <see cref="MessageTriggerBindings"/> as a hosted service (when <see cref="MessageTriggerOptions.Enabled"/>), and the
    /// store's <see cref="IMessageDedupeStore"/>.
    /// </summary>
    public static IServiceCollection AddMessageTriggers(this IServiceCollection services, MessageTriggerOptions options, IWorkflowStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton(store as IMessageDedupeStore ?? throw new ArgumentException("the store keeps no message dedupe keys", nameof(store)));
        services.TryAddSingleton<MessageTriggerBindings>();
        if (options.Enabled) services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MessageTriggerBindings>());
        return services;
    }
}
