namespace VirtFlow.Engine.Storage;

/// <summary>Checks every store applies to a commit before touching the database.</summary>
internal static class CommitValidation
{
    public static void Validate(InstanceCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(commit.Instance);
        var id = commit.Instance.Id;
        if (string.IsNullOrEmpty(id))
            throw new ArgumentException("the instance has no id", nameof(commit));
        if (commit.ExpectedVersion < 0)
            throw new ArgumentOutOfRangeException(nameof(commit), commit.ExpectedVersion, "ExpectedVersion must not be negative");
        foreach (var b in commit.Bookmarks)
        {
            if (!string.Equals(b.InstanceId, id, StringComparison.Ordinal))
                throw new ArgumentException($"bookmark {b.Id} belongs to instance {b.InstanceId}, not to the committed instance {id}", nameof(commit));
        }
        foreach (var j in commit.Journal)
        {
            if (j.Kind is null)
                throw new ArgumentException($"a journal entry of instance {id} has no kind", nameof(commit));
            if (!string.Equals(j.InstanceId, id, StringComparison.Ordinal))
                throw new ArgumentException($"a {j.Kind} journal entry belongs to instance {j.InstanceId}, not to the committed instance {id}", nameof(commit));
        }
    }
}
