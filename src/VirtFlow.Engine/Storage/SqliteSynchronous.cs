namespace VirtFlow.Engine.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting for the store (see <see cref="StoreOptions.SqliteSynchronous"/>).</summary>
public enum SqliteSynchronous
{
    /// <summary>fsync at WAL checkpoints only: durable across process crashes, may lose the last commits on power loss.</summary>
    Normal,

    /// <summary>fsync on every commit: durable across power loss.</summary>
    Full,
}
