using System.Collections.Concurrent;
using System.Text.Json;

namespace VirtFlow.HostWorker;

/// <summary>A mirror target image this worker created (the file did not exist before): only such a file is ever deleted.</summary>
internal sealed record CreatedTarget(string HostId, string Vm, string JobId, string CommandId, string Target, DateTimeOffset CreatedAt);

/// <summary>
/// The target images the worker created, by VM and job id: kept in memory and, with a state folder, in
/// <c>{state}/targets/{vm}.{job}.json</c> (written before the image is made), so a restarted worker still knows which
/// files are its own to delete on a rollback, and that any other file is not.
/// </summary>
internal sealed class CreatedTargets(string? stateDirectory, string hostId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(string Vm, string JobId), CreatedTarget> _known = new();
    private readonly string? _directory = stateDirectory is null ? null : Path.Combine(stateDirectory, "targets");

    /// <summary>Records <paramref name="target"/>; throws <see cref="IOException"/> when the record cannot be written.</summary>
    public void Add(CreatedTarget target)
    {
        _known[(target.Vm, target.JobId)] = target;
        if (_directory is null) return;
        Directory.CreateDirectory(_directory);
        var path = PathOf(target.Vm, target.JobId);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, target, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The record of job <paramref name="jobId"/> on <paramref name="vm"/>, or null (also for an unreadable record).</summary>
    public CreatedTarget? Find(string vm, string jobId)
    {
        if (_known.TryGetValue((vm, jobId), out var known)) return known;
        if (_directory is null) return null;
        try
        {
            var record = JsonSerializer.Deserialize<CreatedTarget>(File.ReadAllText(PathOf(vm, jobId)), Json);
            return record is not null && record.HostId == hostId && record.Vm == vm && record.JobId == jobId ? _known.GetOrAdd((vm, jobId), record) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Forgets the record (the file was deleted, or it became a disk the VM uses).</summary>
    public void Remove(string vm, string jobId)
    {
        _known.TryRemove((vm, jobId), out _);
        if (_directory is null) return;
        try
        {
            File.Delete(PathOf(vm, jobId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale record only names a file that is gone or in use; both are checked before deleting.
        }
    }

    private string PathOf(string vm, string jobId) => Path.Combine(_directory!, $"{SafeFileName.Of(vm, "vm-")}.{SafeFileName.Of(jobId, "job-")}.json");
}
