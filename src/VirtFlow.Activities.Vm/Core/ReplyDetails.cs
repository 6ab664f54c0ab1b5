using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Support;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>
/// Reading per-job detail out of a reply's result (<c>{ jobs: [{ jobId, device, ... }] }</c>, also accepted as
/// <c>disks</c>), and naming the disks a failure is about.
/// </summary>
internal static class ReplyDetails
{
    /// <summary>The result's per-job objects (<c>jobs</c> or <c>disks</c>), empty when it has none.</summary>
    public static IEnumerable<JsonObject> Items(HostReply reply) =>
        (reply.Field("jobs") ?? reply.Field("disks")) is JsonArray a ? a.OfType<JsonObject>() : [];

    /// <summary>The result's detail for <paramref name="job"/> (matched by job id, else by device).</summary>
    public static JsonObject? For(HostReply reply, JobRef job) =>
        Items(reply).FirstOrDefault(o => Text(o, "jobId") == job.JobId)
        ?? (job.Device is null ? null : Items(reply).FirstOrDefault(o => Text(o, "device") == job.Device));

    /// <summary>
    /// The disks a failure is about: those the worker's error names (by device or job id), else those the result
    /// marks failed (an <c>error</c>, or <c>success: false</c>), else all of them.
    /// </summary>
    public static List<JobRef> FailedDisks(HostReply reply, IReadOnlyList<JobRef> jobs)
    {
        var text = reply.ErrorText;
        var mentioned = jobs.Where(j => Mentions(text, j.Name) || Mentions(text, j.JobId)).ToList();
        if (mentioned.Count > 0) return mentioned;
        var marked = jobs.Where(j => For(reply, j) is { } o && (Text(o, "error") is { Length: > 0 } || o["success"] is JsonValue v && v.TryGetValue(out bool ok) && !ok)).ToList();
        return marked.Count > 0 ? marked : [.. jobs];
    }

    /// <summary>The failed disks' names, e.g. <c>vdb</c> or <c>vda, vdb</c>.</summary>
    public static string Names(IEnumerable<JobRef> jobs) => string.Join(", ", jobs.Select(j => j.Name));

    public static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static long? Long(JsonObject o, string name) => JsonNumber.Long(o[name]);

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
