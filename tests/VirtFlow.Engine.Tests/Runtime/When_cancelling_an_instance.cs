using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;

namespace VirtFlow.Engine.Tests.Runtime;

public sealed class When_cancelling_an_instance
{
    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Suspended_steps_are_abandoned_finally_runs_and_it_ends_cancelled(string store)
    {
        await using var host = await TestHost.CreateAsync(store);
        var instance = await host.RunAsync("""
            name: long
            steps:
              - id: guard
                type: try
                steps:
                  - id: both
                    type: parallel
                    branches:
                      - [ { id: one, type: test.hang, with: { name: one } } ]
                      - [ { id: two, type: test.hang, with: { name: two } } ]
                finally:
                  - { id: thaw, type: test.probe, with: { name: thaw } }
              - { id: never, type: test.probe, with: { name: never } }
            """);
        Assert.Equal(InstanceStatus.Suspended, instance.Status);

        Assert.True(await host.Engine.CancelAsync(instance.Id, "maintenance window closed"));

        instance = await host.InstanceAsync(instance.Id);
        Assert.Equal(InstanceStatus.Cancelled, instance.Status);
        Assert.Equal("cancelled: maintenance window closed", instance.Fault);
        Assert.Equal(2, host.Probe.Abandoned.Count);
        Assert.Equal(1, host.Probe.Count("thaw"));
        Assert.Equal(0, host.Probe.Count("never"));
        Assert.Empty(await host.Store.GetBookmarksAsync(instance.Id));
        Assert.Contains(await host.JournalAsync(instance.Id), j => j.Kind == "InstanceCancelled");
        Assert.False(await host.Engine.CancelAsync(instance.Id, "again"));
    }
}
