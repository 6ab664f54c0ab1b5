using System.Globalization;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// The parser's limits for <c>validate</c> and <c>run</c>: <see cref="WorkflowLimits.Default"/>, each overridable by an
/// environment variable (<c>VIRTFLOW_MAX_FILE_BYTES</c>, <c>VIRTFLOW_MAX_NODES</c>, <c>VIRTFLOW_MAX_STEP_DEPTH</c>,
/// <c>VIRTFLOW_MAX_VALUE_DEPTH</c>), and the cap on an instance's inputs (<c>VIRTFLOW_MAX_INPUT_BYTES</c>) for every verb
/// that runs an engine (<c>run</c>, <c>resume</c>, <c>server</c>).
/// </summary>
internal static class LimitSettings
{
    public const string Help =
        "  limits: VIRTFLOW_MAX_FILE_BYTES (default 4194304), VIRTFLOW_MAX_NODES (100000, after alias expansion),\n" +
        "          VIRTFLOW_MAX_STEP_DEPTH (64), VIRTFLOW_MAX_VALUE_DEPTH (64), VIRTFLOW_MAX_INPUT_BYTES (1048576, all inputs)";

    /// <summary>
    /// The engine's options with <see cref="WorkflowEngineOptions.MaxInputBytes"/> from <c>VIRTFLOW_MAX_INPUT_BYTES</c> when
    /// set; throws <see cref="RunUsageException"/> naming the variable when it is not a whole number of at least 1024.
    /// </summary>
    public static WorkflowEngineOptions WithInputLimit(WorkflowEngineOptions engine, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("VIRTFLOW_MAX_INPUT_BYTES") is not { Length: > 0 } text) return engine;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 1024)
            throw new RunUsageException($"VIRTFLOW_MAX_INPUT_BYTES: '{text}' is not a whole number of at least 1024");
        return engine with { MaxInputBytes = max };
    }

    /// <summary>The limits; throws <see cref="RunUsageException"/> naming the variable that is not a number in its range.</summary>
    public static WorkflowLimits FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var d = WorkflowLimits.Default;
        var limits = new WorkflowLimits
        {
            MaxFileBytes = Read(environment, "VIRTFLOW_MAX_FILE_BYTES", d.MaxFileBytes),
            MaxNodes = Read(environment, "VIRTFLOW_MAX_NODES", d.MaxNodes),
            MaxStepDepth = Read(environment, "VIRTFLOW_MAX_STEP_DEPTH", d.MaxStepDepth),
            MaxValueDepth = Read(environment, "VIRTFLOW_MAX_VALUE_DEPTH", d.MaxValueDepth),
        };
        try
        {
            limits.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new RunUsageException($"{Variable(e.ParamName)}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        return limits;
    }

    private static int Read(Func<string, string?> environment, string name, int fallback) =>
        environment(name) is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new RunUsageException($"{name}: '{text}' is not a whole number");

    private static string Variable(string? setting) => setting switch
    {
        nameof(WorkflowLimits.MaxFileBytes) => "VIRTFLOW_MAX_FILE_BYTES",
        nameof(WorkflowLimits.MaxNodes) => "VIRTFLOW_MAX_NODES",
        nameof(WorkflowLimits.MaxStepDepth) => "VIRTFLOW_MAX_STEP_DEPTH",
        _ => "VIRTFLOW_MAX_VALUE_DEPTH",
    };
}
