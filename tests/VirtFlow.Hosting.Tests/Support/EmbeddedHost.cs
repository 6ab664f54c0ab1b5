using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Support;

/// <summary>Helpers around an <see cref="EmbeddedVirtFlow"/> on a SQLite file of its own.</summary>
public static class EmbeddedHost
{
    /// <summary>Starts one (SQLite in a fresh folder unless a store spec is given).</summary>
    public static Task<EmbeddedVirtFlow> StartAsync(Action<EmbeddedVirtFlowOptions>? configure = null)
    {
        var options = new EmbeddedVirtFlowOptions { StoreSpec = "sqlite:" + Path.Combine(TestDirs.Create("emb"), "virtflow.db") };
        configure?.Invoke(options);
        return EmbeddedVirtFlow.StartAsync(options);
    }

    /// <summary>Parses a workflow (failing on any error, validated against the host's activities).</summary>
    public static WorkflowDefinition Define(this EmbeddedVirtFlow host, string yaml)
    {
        var parsed = WorkflowParser.Parse(yaml, "test.yaml");
        var errors = WorkflowValidator.Validate(parsed, host.Activities).Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 0 && parsed.Definition is not null, "the test workflow is invalid: " + string.Join("; ", errors));
        host.Definitions.Add(parsed.Definition!);
        return parsed.Definition!;
    }

    /// <summary>Starts the workflow and waits (bounded) until its instance is final.</summary>
    public static async Task<WorkflowInstance> RunAsync(this EmbeddedVirtFlow host, string yaml, JsonObject? inputs = null, TimeSpan? timeout = null)
    {
        var id = await host.Engine.StartAsync(host.Define(yaml), inputs);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        return await host.Engine.WaitForCompletionAsync(id, cts.Token);
    }
}
