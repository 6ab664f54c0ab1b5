using Microsoft.Extensions.DependencyInjection;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>The live stream's services: its options and the server's one journal reader.</summary>
public static class StreamServices
{
    public static IServiceCollection AddLiveStream(this IServiceCollection services, LiveStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }
}
