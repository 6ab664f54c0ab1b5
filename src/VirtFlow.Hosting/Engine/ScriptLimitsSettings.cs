using Microsoft.Extensions.Configuration;
using VirtFlow.Engine.Expressions;
using VirtFlow.Hosting.Configuration;
using VirtFlow.Hosting.Worker;

namespace VirtFlow.Hosting.Engine;

/// <summary>
/// The script sandbox's limits as they come from configuration: section <see cref="Section"/> of <c>appsettings.json</c>
/// in the working folder, or the environment (<c>VirtFlow__Scripts__Timeout=2s</c> ...). Unset values keep the defaults
/// of <see cref="JintExpressionOptions"/>: <c>Timeout</c> 1s, <c>WatchdogMargin</c> 250ms, <c>MemoryLimitBytes</c>
/// 16777216, <c>MaxRecursionDepth</c> 64, <c>MaxStatements</c> 20000000 (0: none).
/// </summary>
public sealed class ScriptLimitsSettings
{
    /// <summary>The configuration section: <c>VirtFlow:Scripts</c>.</summary>
    public const string Section = "VirtFlow:Scripts";

    /// <summary>Wall-clock time of one evaluation: <c>1s</c>, <c>500ms</c>, <c>hh:mm:ss</c>.</summary>
    public string? Timeout { get; set; }

    /// <summary>How long past <see cref="Timeout"/> the watchdog waits before it abandons the evaluation.</summary>
    public string? WatchdogMargin { get; set; }

    /// <summary>Memory one evaluation may allocate, in bytes.</summary>
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Deepest JavaScript call depth.</summary>
    public int? MaxRecursionDepth { get; set; }

    /// <summary>Statements one evaluation may run (0: no limit).</summary>
    public int? MaxStatements { get; set; }

    /// <summary>Reads section <see cref="Section"/> (missing: the defaults).</summary>
    /// <exception cref="ArgumentException">A value of the wrong type, naming the section.</exception>
    public static ScriptLimitsSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new ScriptLimitsSettings();
        try
        {
            configuration.GetSection(Section).Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"{Section}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
        return settings;
    }

    /// <summary>Reads <c>appsettings.json</c> in the working folder (if any), then the environment.</summary>
    /// <exception cref="ArgumentException">The file is not JSON, or a value has the wrong type.</exception>
    public static ScriptLimitsSettings Load() => From(AppSettingsFile.Read());

    /// <summary>The evaluator's options: these values over the defaults, checked.</summary>
    /// <exception cref="ArgumentException">The first bad value, named <c>VirtFlow:Scripts:NAME</c>.</exception>
    public JintExpressionOptions ToOptions()
    {
        var defaults = new JintExpressionOptions();
        var options = defaults with
        {
            Timeout = Timeout is null ? defaults.Timeout : Duration(Timeout, nameof(Timeout)),
            WatchdogMargin = WatchdogMargin is null ? defaults.WatchdogMargin : Duration(WatchdogMargin, nameof(WatchdogMargin)),
            MemoryLimitBytes = MemoryLimitBytes ?? defaults.MemoryLimitBytes,
            MaxRecursionDepth = MaxRecursionDepth ?? defaults.MaxRecursionDepth,
            MaxStatements = MaxStatements ?? defaults.MaxStatements,
        };
        options.Validate();
        return options;
    }

    private static TimeSpan Duration(string text, string name) =>
        VirtFlowWorkerSettings.ParseDuration(text) ?? throw new ArgumentException($"{Section}:{name} '{text}' is not a duration (1s, 500ms, hh:mm:ss)");
}
