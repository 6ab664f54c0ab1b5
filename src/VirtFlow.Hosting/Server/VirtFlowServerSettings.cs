using Microsoft.Extensions.Configuration;
using VirtFlow.Hosting.Configuration;

namespace VirtFlow.Hosting.Server;

/// <summary>
/// The server's settings from configuration: section <see cref="Section"/> of <c>appsettings.json</c> in the current
/// folder (if there is one) and the environment (<c>VirtFlow__Server__AllowAdhocDefinitions=true</c>). The command line
/// wins over both.
/// </summary>
public sealed class VirtFlowServerSettings
{
    /// <summary>The configuration section: <c>VirtFlow:Server</c>.</summary>
    public const string Section = "VirtFlow:Server";

    /// <summary>See <see cref="VirtFlowServerOptions.AllowAdhocDefinitions"/>; null when not configured.</summary>
    public bool? AllowAdhocDefinitions { get; set; }

    /// <summary>See <see cref="Messaging.Identity.WorkerIdentityOptions.TrustAnyWorker"/>; null when not configured.</summary>
    public bool? TrustAnyWorker { get; set; }

    /// <summary>See <see cref="Messaging.Identity.WorkerIdentityOptions.WorkerUserPattern"/>; null when not configured.</summary>
    public string? WorkerUser { get; set; }

    /// <summary>Where the HTTP API listens (<c>--http</c>), or <c>off</c>; null when not configured (default <see cref="Http.VirtFlowHttpOptions.DefaultUrl"/>).</summary>
    public string? Http { get; set; }

    /// <summary>See <see cref="Http.VirtFlowHttpOptions.Designer"/>: the designer's folder, or <c>off</c>; null when not configured.</summary>
    public string? Designer { get; set; }

    /// <summary>See <see cref="Http.VirtFlowHttpOptions.KeyCacheTime"/>; null when not configured.</summary>
    public TimeSpan? KeyCacheTime { get; set; }

    /// <summary>See <see cref="Http.VirtFlowHttpOptions.IdempotencyKeyLifetime"/>; null when not configured.</summary>
    public TimeSpan? IdempotencyKeyLifetime { get; set; }

    /// <summary>See <see cref="Http.VirtFlowHttpOptions.IdempotencySweepInterval"/>; null when not configured.</summary>
    public TimeSpan? IdempotencySweepInterval { get; set; }

    /// <summary>OIDC/JWT bearer tokens (<c>VirtFlow:Server:Jwt</c>); null: API keys only.</summary>
    public Http.JwtSettings? Jwt { get; set; }

    /// <summary>The message triggers (<c>VirtFlow:Server:MessageTriggers</c>); null: the defaults.</summary>
    public Triggers.MessageTriggerOptions? MessageTriggers { get; set; }

    /// <summary>The scheduler (<c>VirtFlow:Server:Schedules</c>: Enabled, ClusterName, ClusterCheckinInterval, LeaseDuration, SweepInterval, MaxBackfillFirings, MaxConcurrency); null: the defaults.</summary>
    public Schedules.SchedulerOptions? Schedules { get; set; }

    /// <summary>Reads the section from <c>appsettings.json</c> in <paramref name="directory"/> (default: the current one) and the environment.</summary>
    /// <exception cref="ArgumentException">The file is not JSON, or a value is not of its type (one line naming it).</exception>
    public static VirtFlowServerSettings Load(string? directory = null)
    {
        var configuration = AppSettingsFile.Read(directory);
        try
        {
            return configuration.GetSection(Section).Get<VirtFlowServerSettings>() ?? new VirtFlowServerSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"appsettings.json (section {Section}): {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
