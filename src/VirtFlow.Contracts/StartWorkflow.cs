namespace VirtFlow.Contracts;

/// <summary>
/// Starts a workflow by message (<c>virtflow start</c>), sent to the server's queue <c>virtflow-start</c>.
/// <see cref="MessageId"/> becomes the instance id: a message with an id already seen starts nothing new.
/// </summary>
public sealed record StartWorkflow
{
    public required string MessageId { get; init; }

    /// <summary>A workflow name known to the server (or the file name without extension).</summary>
    public required string Workflow { get; init; }

    /// <summary>The inputs as a JSON object.</summary>
    public string InputsJson { get; init; } = "{}";

    public string? CorrelationId { get; init; }

    /// <summary>
    /// The workflow's text (YAML or JSON) when the client sends its own file (<c>virtflow start FILE</c>): the server
    /// runs this definition instead of looking <see cref="Workflow"/> up. Null to run a workflow the server knows.
    /// </summary>
    public string? DefinitionText { get; init; }

    /// <summary>The file <see cref="DefinitionText"/> was read from, for the server's messages.</summary>
    public string? DefinitionFile { get; init; }
}
