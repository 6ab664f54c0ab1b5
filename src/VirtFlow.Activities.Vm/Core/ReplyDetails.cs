using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>
/// Per-job detail out of a reply's typed result (<see cref="MirrorDisksResult"/>, <see cref="JobsResult"/>), and naming
/// the disks a failure is about.
/// </summary>
internal static class ReplyDetails
{
    /// <summary><paramref name="job"/> with the nodes a <see cref="MirrorDisksResult"/> reports for it (matched by job id, else by device).</summary>
    public static JobRef WithNodes(JobRef job, HostReply reply)
    {
        var disks = reply.As<MirrorDisksResult>()?.Disks ?? [];
        var mirrored = disks.FirstOrDefault(d => d.JobId == job.JobId) ?? (job.Device is null ? null : disks.FirstOrDefault(d => d.Device == job.Device));
        return mirrored is null ? job : job with { SourceNode = mirrored.SourceNode ?? job.SourceNode, TargetNode = mirrored.TargetNode ?? job.TargetNode };
    }

    /// <summary>
    /// The disks a failure is about: those the worker's error names (by device or job id), else those the result
    /// marks failed (a <see cref="JobState"/> with an error), else all of them.
    /// </summary>
    public static List<JobRef> FailedDisks(HostReply reply, IReadOnlyList<JobRef> jobs)
    {
        var text = reply.ErrorText;
        var mentioned = jobs.Where(j => Mentions(text, j.Name) || Mentions(text, j.JobId)).ToList();
        if (mentioned.Count > 0) return mentioned;
        var states = reply.As<JobsResult>()?.Jobs ?? [];
        var marked = jobs.Where(j => states.Any(s => s is not null && s.JobId == j.JobId && s.Error is { Length: > 0 })).ToList();
        return marked.Count > 0 ? marked : [.. jobs];
    }

    /// <summary>The failed disks' names, e.g. <c>vdb</c> or <c>vda, vdb</c>.</summary>
    public static string Names(IEnumerable<JobRef> jobs) => string.Join(", ", jobs.Select(j => j.Name));

    /// <summary>
    /// The fault text of a refused command: the worker's error as it is when it already names the VM and every
    /// disk concerned (it is meant to), else prefixed with <paramref name="what"/> ("mirror of vdb on VM 'web1'").
    /// </summary>
    public static string Explain(string what, string vm, IEnumerable<string> disks, string error) =>
        Mentions(error, vm) && disks.All(d => Mentions(error, d)) ? error : $"{what} failed: {error}";

    /// <summary>True when <paramref name="word"/> appears in <paramref name="text"/> as a whole word.</summary>
    public static bool Mentions(string text, string word)
    {
        var from = 0;
        while ((from = text.IndexOf(word, from, StringComparison.Ordinal)) >= 0)
        {
            var before = from == 0 || !IsWordChar(text[from - 1]);
            var end = from + word.Length;
            var after = end >= text.Length || !IsWordChar(text[end]);
            if (before && after) return true;
            from = end;
        }
        return false;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
