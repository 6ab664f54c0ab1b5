using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>A host's <see cref="CommandResult"/> as an activity reads it, with its <c>resultJson</c> parsed.</summary>
internal sealed record HostReply(CommandResult Result, JsonNode? Data)
{
    public bool Success => Result.Success;

    /// <summary>The worker's error text (it names the VM and disk), else its error class.</summary>
    public string ErrorText =>
        Result.Error is { Length: > 0 } e ? e
        : Result.ErrorClass is { Length: > 0 } c ? c
        : "the host reported a failure without a reason";

    /// <summary>The reply in an event payload, or null when the payload is not a command result.</summary>
    public static HostReply? Read(JsonNode? payload)
    {
        var result = HostMessageJson.ReadEvent<CommandResult>(payload);
        if (result is null) return null;
        JsonNode? data = null;
        if (result.ResultJson is { Length: > 0 } json)
        {
            try
            {
                data = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                data = JsonValue.Create(json);
            }
        }
        return new HostReply(result, data);
    }

    /// <summary>The result as its contract type (<c>Results/</c> of VirtFlow.Contracts), or null when it has none or does not fit.</summary>
    public T? As<T>()
        where T : class
    {
        try
        {
            return HostResultJson.Read<T>(Result);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Part of a typed result as the JSON of an activity's outputs (the same camelCase shape the worker sent).</summary>
    public static JsonNode? ToOutput<T>(T? value) => value is null ? null : JsonSerializer.SerializeToNode(value, HostResultJson.Options);
}
