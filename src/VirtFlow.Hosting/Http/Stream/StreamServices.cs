using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>The live stream's services: its options and the server's one journal reader.</summary>
public static class StreamServices
{
    public static IServiceCollection AddLiveStream(this IServiceCollection services, LiveStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        // Kestrel's "Request starting GET /api/stream?access_token=..." is logged before any middleware runs: never log it.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }
}
