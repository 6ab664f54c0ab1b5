using System.Reflection;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// Log event ids (docs/design.md, "Log event ids"): every <c>[LoggerMessage]</c> of every VirtFlow assembly has an id of its own,
/// inside its project's range or one of the ranges reserved for features that may live in any project, and an
/// <c>EventName</c>. Read from the compiled assemblies, so a new log class is checked without being listed here.
/// </summary>
public sealed class When_log_event_ids_are_read
{
    /// <summary>Each project's own range (inclusive).</summary>
    private static readonly Dictionary<string, (int From, int To)> Ranges = new(StringComparer.Ordinal)
    {
        ["VirtFlow.Engine"] = (1000, 1999),
        ["VirtFlow.HostWorker"] = (2000, 2999),
        ["VirtFlow.Qmp"] = (3000, 3999),
        ["VirtFlow.Activities.Vm"] = (4000, 4999),
        ["VirtFlow.Hosting"] = (5000, 5999),
        ["VirtFlow.Cli"] = (7000, 7999),
    };

    /// <summary>Ranges handed to features that span projects: schedules, message triggers, fleet workflows, the designer's serving.</summary>
    private static readonly (int From, int To)[] Features = [(6000, 6099), (6100, 6199), (6200, 6299), (6300, 6399)];

    private static IEnumerable<(Assembly Assembly, MethodInfo Method, LoggerMessageAttribute Attribute)> LogMethods()
    {
        var assemblies = typeof(Commands.RunCommand).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("VirtFlow.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .Append(typeof(Commands.RunCommand).Assembly)
            .Concat([typeof(HostWorker.HostWorker).Assembly, typeof(Activities.Vm.VmActivities).Assembly])
            .Distinct();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var assembly in assemblies)
        {
            foreach (var type in assembly.GetTypes())
            {
                foreach (var method in type.GetMethods(all))
                {
                    if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                        yield return (assembly, method, attribute);
                }
            }
        }
    }

    private static string Name((Assembly Assembly, MethodInfo Method, LoggerMessageAttribute Attribute) m) =>
        $"{m.Method.DeclaringType!.FullName}.{m.Method.Name} ({m.Attribute.EventId})";

    [Fact]
    public void Every_id_is_used_once()
    {
        var methods = LogMethods().ToList();
        Assert.True(methods.Count > 100, $"only {methods.Count} [LoggerMessage] methods found");
        var duplicates = methods.GroupBy(m => m.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(Name))}").ToList();
        Assert.True(duplicates.Count == 0, "event ids used twice:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void Every_id_lies_in_its_projects_range_and_has_a_name()
    {
        var wrong = new List<string>();
        foreach (var m in LogMethods())
        {
            var id = m.Attribute.EventId;
            var project = m.Assembly.GetName().Name!;
            var own = Ranges.TryGetValue(project, out var range) && id >= range.From && id <= range.To;
            if (!own && !Features.Any(f => id >= f.From && id <= f.To))
                wrong.Add($"{Name(m)}: outside {project}'s range {(Ranges.TryGetValue(project, out var r) ? $"{r.From}-{r.To}" : "(none: add it to docs/design.md and this test)")}");
            if (string.IsNullOrEmpty(m.Attribute.EventName))
                wrong.Add($"{Name(m)}: no EventName");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
