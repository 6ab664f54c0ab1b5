using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Tests.Storage;

/// <summary>Builders for store tests.</summary>
internal static class StoreTestData
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static WorkflowInstance Instance(string id, InstanceStatus status = InstanceStatus.Suspended, string name = "migrate-disk") => new()
    {
        Id = id,
        WorkflowName = name,
        WorkflowVersion = 2,
        DefinitionHash = "sha256:abc",
        Status = status,
        Input = new JsonObject { ["vm"] = "vm-" + id },
        State = new JsonObject { ["step"] = 1 },
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    public static Bookmark Bookmark(string instanceId, string id, string? key = null, DateTimeOffset? dueAt = null) => new()
    {
        Id = id,
        InstanceId = instanceId,
        StepPath = "root/" + id,
        Name = key is null ? "timer" : "event",
        Key = key,
        DueAt = dueAt,
        Data = new JsonObject { ["bookmark"] = id },
        CreatedAt = T0,
    };

    public static OutboxMessage Command(string instanceId, string id, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        InstanceId = instanceId,
        Destination = "host-1",
        MessageType = "VirtFlow.Contracts.MirrorDisk",
        Payload = new JsonObject { ["job"] = id },
        CreatedAt = createdAt ?? T0,
    };

    public static JournalEntry Journal(string instanceId, string kind, string? message = null) => new()
    {
        InstanceId = instanceId,
        Kind = kind,
        Message = message,
        StepPath = "root",
        At = T0,
        Data = new JsonObject { ["kind"] = kind },
    };

    public static InboxEvent Event(string id, string key, DateTimeOffset receivedAt, TimeSpan? lifetime = null) => new()
    {
        Id = id,
        Key = key,
        Payload = new JsonObject { ["event"] = id },
        ReceivedAt = receivedAt,
        ExpiresAt = receivedAt + (lifetime ?? TimeSpan.FromHours(1)),
    };

    public static InstanceCommit Insert(WorkflowInstance instance, params Bookmark[] bookmarks) =>
        new() { Instance = instance, ExpectedVersion = 0, Bookmarks = bookmarks };
}
