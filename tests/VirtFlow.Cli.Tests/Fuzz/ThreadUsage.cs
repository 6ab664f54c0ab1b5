using System.Globalization;

namespace VirtFlow.Cli.Tests.Fuzz;

/// <summary>
/// What the current thread has used: CPU time (from <c>/proc/thread-self/stat</c>, so a loaded machine does not count
/// against a case, only the work it did) and bytes allocated.
/// </summary>
internal readonly record struct ThreadUsage(TimeSpan Cpu, long Allocated)
{
    public static ThreadUsage Now() => new(ReadCpu(), GC.GetAllocatedBytesForCurrentThread());

    public ThreadUsage Since(ThreadUsage start) => new(Cpu - start.Cpu, Allocated - start.Allocated);

    private static TimeSpan ReadCpu()
    {
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): state is field 3,
        // utime and stime are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
