namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>Commands the engine sends to itself through the outbox (so they are atomic with the sender's state, docs/rules.md#r1-outbox).</summary>
internal static class EngineDestinations
{
    /// <summary>The destination handled by the engine itself, never by a transport.</summary>
    public const string Engine = "$engine";

    public const string StartWorkflow = "StartWorkflow";
    public const string CancelWorkflow = "CancelWorkflow";
    public const string PublishEvent = "PublishEvent";
}
