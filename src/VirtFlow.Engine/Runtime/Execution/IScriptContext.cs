using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>The engine's context also runs scripts in the step's scope (for the built-in <c>script</c> activity).</summary>
internal interface IScriptContext
{
    /// <summary>Runs statements; assignments to <c>vars.NAME</c> are kept as the step's variable writes.</summary>
    JsonNode? RunScript(string code);
}
