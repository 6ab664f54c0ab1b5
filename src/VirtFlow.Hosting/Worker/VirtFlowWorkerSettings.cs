using System.Globalization;
using Microsoft.Extensions.Configuration;
using VirtFlow.HostWorker;

namespace VirtFlow.Hosting.Worker;

/// <summary>
/// The worker's settings as text, as they come from configuration (<c>appsettings.json</c> section
/// <see cref="Section"/>, environment <c>VirtFlow__Worker__HostId</c> ...) or the command line; command-line values win.
/// <see cref="ToOptions"/> checks them and gives the <see cref="VirtFlowWorkerOptions"/> to start with.
/// </summary>
public sealed class VirtFlowWorkerSettings
{
    /// <summary>The configuration section: <c>VirtFlow:Worker</c>.</summary>
    public const string Section = "VirtFlow:Worker";

    /// <summary>The host served (its queue is <c>virtflow-host-{HostId}</c>).</summary>
    public string? HostId { get; set; }

    /// <summary>The RabbitMQ URI (<c>amqp://user:password@host:5672/vhost</c> or <c>rabbitmq://...</c>).</summary>
    public string? RabbitMq { get; set; }

    /// <summary>The VMs, each <c>name=qmp:PATH[,qga:PATH]</c>.</summary>
    public List<string> Vms { get; set; } = [];

    /// <summary>Folders mirror targets and every other host path the worker opens must lie under (absolute paths; at least one).</summary>
    public List<string> StorageRoots { get; set; } = [];

    /// <summary>QMP commands <c>vm.qmp</c> may run beyond the read-only <c>query-*</c> ones (exact names, or <c>*</c> for all that do not reach the host).</summary>
    public List<string> AllowQmp { get; set; } = [];

    /// <summary>The default quiesce lease: <c>90s</c>, <c>2m</c>, <c>500ms</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
    public string? Lease { get; set; }

    /// <summary>A PEM file of the CA(s) the broker's TLS certificate must chain to (<c>amqps://</c>).</summary>
    public string? RabbitMqCa { get; set; }

    /// <summary>How long the worker tries to reach the broker at start before it gives up (exit 1): <c>60s</c> by default.</summary>
    public string? BrokerStartTimeout { get; set; }

    /// <summary>
    /// How often the worker reports itself to the servers (version, VMs; <c>GET /api/hosts</c>): <c>10s</c>, <c>500ms</c>,
    /// <c>hh:mm:ss</c>. Default 30 s; from 1 s to 30 s (a server shows a host offline after 90 s without a report).
    /// </summary>
    public string? HeartbeatInterval { get; set; }

    /// <summary>The folder of the worker's quiesce leases (absolute); none for the default (see <see cref="VirtFlowWorkerOptions.DefaultStateDirectory"/>).</summary>
    public string? StateDir { get; set; }

    /// <summary>Reads section <see cref="Section"/> of <paramref name="configuration"/> (missing: empty settings).</summary>
    public static VirtFlowWorkerSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new VirtFlowWorkerSettings();
        configuration.GetSection(Section).Bind(settings);
        return settings;
    }

    /// <summary>
    /// Loads <paramref name="configFile"/> (required when given; else <c>appsettings.json</c> in the current folder if
    /// there is one), then the environment (<c>VirtFlow__Worker__...</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The file cannot be read or is not JSON (one line naming it).</exception>
    public static VirtFlowWorkerSettings Load(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full)) throw new ArgumentException($"--config: {configFile}: no such file");
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        else
        {
            builder.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables();
        try
        {
            return From(builder.Build());
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{configFile ?? "appsettings.json"}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>These settings with every value <paramref name="overrides"/> gives replacing this one's (lists as a whole).</summary>
    public VirtFlowWorkerSettings With(VirtFlowWorkerSettings overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new VirtFlowWorkerSettings
        {
            HostId = overrides.HostId ?? HostId,
            RabbitMq = overrides.RabbitMq ?? RabbitMq,
            Vms = overrides.Vms.Count > 0 ? [.. overrides.Vms] : [.. Vms],
            StorageRoots = overrides.StorageRoots.Count > 0 ? [.. overrides.StorageRoots] : [.. StorageRoots],
            AllowQmp = overrides.AllowQmp.Count > 0 ? [.. overrides.AllowQmp] : [.. AllowQmp],
            Lease = overrides.Lease ?? Lease,
            RabbitMqCa = overrides.RabbitMqCa ?? RabbitMqCa,
            StateDir = overrides.StateDir ?? StateDir,
            BrokerStartTimeout = overrides.BrokerStartTimeout ?? BrokerStartTimeout,
            HeartbeatInterval = overrides.HeartbeatInterval ?? HeartbeatInterval,
        };
    }

    /// <summary>Checks the settings and converts them.</summary>
    /// <exception cref="ArgumentException">The first bad or missing setting, named as on the command line.</exception>
    public VirtFlowWorkerOptions ToOptions()
    {
        var options = new VirtFlowWorkerOptions
        {
            HostId = string.IsNullOrWhiteSpace(HostId) ? throw new ArgumentException("--host-id is required (or VirtFlow:Worker:HostId)") : HostId.Trim(),
            RabbitMq = string.IsNullOrWhiteSpace(RabbitMq) ? throw new ArgumentException("--rabbitmq is required (or VirtFlow:Worker:RabbitMq)") : ParseRabbitMq(RabbitMq),
        };
        if (RabbitMqCa is not null) options.RabbitMqCa = RabbitMqCa;
        foreach (var text in Vms)
            options.Vms.Add(Embedded.VmSpec.TryParse(text, out var vm, out var error) ? vm : throw new ArgumentException($"--vm: {error}"));
        foreach (var root in StorageRoots)
        {
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathRooted(root)) throw new ArgumentException($"--storage-root '{root}' is not an absolute path");
            options.StorageRoots.Add(Path.GetFullPath(root));
        }
        foreach (var command in AllowQmp)
        {
            var name = command?.Trim() ?? "";
            if (name != "*" && !HostWorkerOptions.IsQmpCommandName(name))
                throw new ArgumentException($"--allow-qmp '{command}' is not a QMP command name (letters, digits, '-', '_') or '*'");
            options.AllowQmp.Add(name);
        }
        if (Lease is not null) options.Lease = ParseDuration(Lease) ?? throw new ArgumentException($"--lease '{Lease}' is not a duration (90s, 2m, 500ms, hh:mm:ss)");
        if (BrokerStartTimeout is not null)
            options.StartTimeout = ParseDuration(BrokerStartTimeout) ?? throw new ArgumentException($"VirtFlow:Worker:BrokerStartTimeout '{BrokerStartTimeout}' is not a duration (90s, 2m, 500ms, hh:mm:ss)");
        if (HeartbeatInterval is not null)
            options.HeartbeatInterval = ParseDuration(HeartbeatInterval) is { } beat && beat >= VirtFlowWorkerOptions.MinHeartbeat && beat <= VirtFlowWorkerOptions.MaxHeartbeat
                ? beat
                : throw new ArgumentException($"--heartbeat '{HeartbeatInterval}' (VirtFlow:Worker:HeartbeatInterval) is not a duration from 1s to 30s (10s, 500ms, hh:mm:ss)");
        if (StateDir is not null)
        {
            if (string.IsNullOrWhiteSpace(StateDir) || !Path.IsPathRooted(StateDir)) throw new ArgumentException($"--state-dir '{StateDir}' is not an absolute path");
            options.StateDirectory = Path.GetFullPath(StateDir);
        }
        options.Validate();
        return options;
    }

    private static Uri ParseRabbitMq(string text)
    {
        var trimmed = text.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "rabbitmq" or "rabbitmqs" && uri.Host.Length > 0)
            return uri;
        throw new ArgumentException($"--rabbitmq '{trimmed}' is not a RabbitMQ URI (amqp://user:password@host:5672/vhost)");
    }

    /// <summary><c>90s</c>, <c>2m</c>, <c>500ms</c>, <c>1h</c> or a <see cref="TimeSpan"/> (<c>00:01:30</c>); null when unreadable or not positive.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, ms) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && !(suffix == "s" && t.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
                && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return n > 0 ? TimeSpan.FromMilliseconds(n * ms) : null;
        }
        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }
}
