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
}
