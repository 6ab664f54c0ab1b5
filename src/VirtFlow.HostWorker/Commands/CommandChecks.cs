using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>Checks of a command's arguments that several handlers share.</summary>
internal static class CommandChecks
{
    public static HostCommandException BadRequest(string message) => new(HostErrorClasses.BadRequest, message);

    /// <summary>The job ids of a command: at least one, no duplicates.</summary>
    public static List<string> JobIds(VmSession session, string command, IReadOnlyList<string>? ids)
    {
        if (ids is null || ids.Count == 0) throw BadRequest($"VM {session.Name}: {command} names no job");
        var list = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (string.IsNullOrWhiteSpace(id)) throw BadRequest($"VM {session.Name}: {command} has an empty job id");
            if (list.Contains(id)) throw BadRequest($"VM {session.Name}: {command} names job {id} twice");
            list.Add(id);
        }
        return list;
    }

    /// <summary>
    /// Refuses a command taken after its reply window (<see cref="HostCommand.IssuedAt"/> + <see cref="HostCommand.ReplyWithin"/>):
    /// its step has faulted, and its rollback may have given up, so running it now would act behind the engine's back
    /// (docs/rules.md R11: a pivot kept in the outbox by a broker outage). A command without a window (or not stamped) always runs.
    /// </summary>
    public static void NotExpired(VmSession session, HostCommand command, TimeProvider time)
    {
        if (command.ReplyWithin is not { } within || within <= TimeSpan.Zero || command.IssuedAt == default) return;
        var late = time.GetUtcNow() - (command.IssuedAt + within);
        if (late > TimeSpan.Zero)
            throw new HostCommandException(HostErrorClasses.Expired,
                $"VM {session.Name}: {command.GetType().Name} {command.CommandId} was issued at {command.IssuedAt:u} to be answered within {within}; "
                + $"it came {late.TotalSeconds:F0} s after that, when its step had given up: not run");
    }
}
