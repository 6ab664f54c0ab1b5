using System.Text.Json;

namespace VirtFlow.HostWorker;

/// <summary>A quiesce lease as it is kept on disk, so that a worker started after this one died can end it.</summary>
internal sealed record PersistedLease(string HostId, string Vm, string LeaseId, string Method, bool WasPaused, int FrozenFilesystems, DateTimeOffset ExpiresAt);

/// <summary>
/// The quiesce leases of one host on disk (<see cref="HostWorkerOptions.StateDirectory"/>): a file per VM, present while a
/// lease on it is held (or about to be: it is written before the guest is paused or frozen), rewritten when the lease is
/// renewed, deleted when it is released. Each write goes to a temporary file that is flushed to disk, then renamed over
/// the old one, so a reader (the next worker) sees the previous lease or the new one, never half of one. One file per VM
/// keeps two processes of the same host (a standby) from overwriting each other's VMs. Used under
/// <see cref="VmSession.LockQuiesceAsync"/>; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.
/// </summary>
internal sealed class LeaseFiles(string directory, string hostId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>Creates the folder if needed and checks that a file can be written in it.</summary>
    public void Prepare()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var probe = Path.Combine(Directory, $".probe-{Environment.ProcessId}");
        File.WriteAllText(probe, "");
        File.Delete(probe);
    }

    /// <summary>Writes the lease of <paramref name="vm"/> (atomically replacing the one before).</summary>
    public void Save(string vm, QuiesceLease lease)
    {
        var path = PathOf(vm);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var record = new PersistedLease(hostId, vm, lease.Id, lease.Method, lease.WasPaused, lease.FrozenFilesystems, lease.ExpiresAt);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, record, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Forgets the lease of <paramref name="vm"/> (nothing to do when there is none).</summary>
    public void Delete(string vm) => File.Delete(PathOf(vm));

    /// <summary>The lease of <paramref name="vm"/> on disk, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a lease of this host's VM.</exception>
    public PersistedLease? Load(string vm)
    {
        var path = PathOf(vm);
        if (!File.Exists(path)) return null;
        PersistedLease? lease;
        try
        {
            lease = JsonSerializer.Deserialize<PersistedLease>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a lease: {e.Message}", e);
        }
        if (lease is null || lease.HostId != hostId || lease.Vm != vm || string.IsNullOrEmpty(lease.LeaseId) || string.IsNullOrEmpty(lease.Method))
            throw new InvalidDataException($"{path}: not a lease of VM {vm} of host {hostId}");
        return lease;
    }

    /// <summary><c>{vm}.lease.json</c>; a name that is not a plain file name is replaced by a hash of it.</summary>
    public string PathOf(string vm)
    {
        return Path.Combine(Directory, SafeFileName.Of(vm, "vm-") + ".lease.json");
    }
}
