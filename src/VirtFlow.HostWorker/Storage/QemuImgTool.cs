using System.Diagnostics;
using System.Globalization;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>Runs <c>qemu-img create</c> for mirror targets.</summary>
internal sealed class QemuImgTool(string binary)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary><c>qemu-img create -q -f FORMAT PATH SIZE</c>; throws <see cref="HostErrorClasses.ImageCreateFailed"/>.</summary>
    public async Task CreateAsync(string vm, string device, string path, string format, long size, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "create", "-q", "-f", format, path, size.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new HostCommandException(HostErrorClasses.ImageCreateFailed, $"VM {vm}: disk {device}: cannot run {binary}: {e.Message}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new HostCommandException(HostErrorClasses.ImageCreateFailed, $"VM {vm}: disk {device}: qemu-img create {path} did not finish within {Limit.TotalSeconds:0} s");
            }
            var output = ((await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false))).Trim();
            if (process.ExitCode != 0)
                throw new HostCommandException(HostErrorClasses.ImageCreateFailed, $"VM {vm}: disk {device}: qemu-img create -f {format} {path} failed: {output}");
        }
    }
}
