using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime;

/// <summary>
/// An event for the engine: a host event (<c>BLOCK_JOB_READY</c>), a command reply (<c>reply:{commandId}</c>),
/// a user event (<c>event:approval:order-42</c>). <see cref="Id"/> de-duplicates: the same id twice is ignored.
/// </summary>
/// <param name="Id">Unique id of the event (the producer's message id).</param>
/// <param name="Key">What bookmarks wait for.</param>
/// <param name="Payload">The event's data, given to the resumed activity.</param>
public sealed record EventEnvelope(string Id, string Key, JsonNode? Payload = null);
