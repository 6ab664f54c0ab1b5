using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VirtFlow.Engine.Definitions.Limits;

/// <summary>
/// Opens a file on Linux without ever blocking (<c>O_NONBLOCK</c>: a FIFO without a writer opens at once) and tells its type
/// and size from the open descriptor (<c>statx</c>, whose layout is the same on every architecture), so what is checked is
/// what is read. .NET 10 has no public way to tell a FIFO or a device from a regular file.
/// </summary>
internal static class UnixFile
{
    private const int ReadOnlyNonBlocking = 0x800 /* O_NONBLOCK */ | 0x100 /* O_NOCTTY */ | 0x80000 /* O_CLOEXEC */;
    private const int AtEmptyPath = 0x1000;
    private const uint TypeAndSize = 0x1 /* STATX_TYPE */ | 0x200 /* STATX_SIZE */;
    private const int TypeMask = 0xF000;

    /// <summary>What <c>statx</c> told of an open file.</summary>
    internal readonly record struct Status(int Type, long Size)
    {
        public bool IsRegular => Type == 0x8000;

        /// <summary>The file's kind in words, for a message.</summary>
        public string Kind => Type switch
        {
            0x4000 => "a directory",
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "of an unknown kind",
        };
    }

    /// <summary>Whether this platform has the calls (Linux with glibc 2.28+ or musl 1.2.5+).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Opens <paramref name="path"/> read-only without blocking; throws <see cref="IOException"/> (or a subclass) when it cannot.</summary>
    public static SafeFileHandle Open(string path)
    {
        var fd = OpenNative(path, ReadOnlyNonBlocking);
        if (fd < 0)
            throw Error(Marshal.GetLastPInvokeError(), path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The type and size of an open file.</summary>
    public static Status Stat(SafeFileHandle handle)
    {
        var buffer = new byte[256];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (StatxNative((int)handle.DangerousGetHandle(), "", AtEmptyPath, TypeAndSize, buffer) != 0)
                throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }

        return new Status(BitConverter.ToUInt16(buffer, 28) & TypeMask, BitConverter.ToInt64(buffer, 40));
    }

    private static bool Probe()
    {
        try
        {
            return StatxNative(-100 /* AT_FDCWD */, "/", 0, TypeAndSize, new byte[256]) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static IOException Error(int errno, string path) => errno switch
    {
        2 /* ENOENT */ or 20 /* ENOTDIR */ => new FileNotFoundException("no such file", path),
        13 /* EACCES */ or 1 /* EPERM */ => new IOException("permission denied"),
        6 /* ENXIO: a socket */ => new IOException("not a regular file (a socket)"),
        _ => new IOException(Marshal.GetPInvokeErrorMessage(errno)),
    };

    // DllImport rather than LibraryImport: the engine is compiled without unsafe code.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxNative(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
