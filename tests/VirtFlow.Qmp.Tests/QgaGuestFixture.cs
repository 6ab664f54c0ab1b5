using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>One tiny guest shared by the tests of a class (a boot costs about 10 s under TCG).</summary>
public sealed class QgaGuestFixture : IAsyncLifetime
{
    private TinyGuest? _guest;

    /// <summary>The running guest.</summary>
    public TinyGuest Guest => _guest ?? throw new InvalidOperationException("the guest is not started");

    public async Task InitializeAsync() => _guest = await TinyGuest.StartAsync();

    public async Task DisposeAsync()
    {
        if (_guest is not null) await _guest.DisposeAsync();
    }
}

/// <summary>
/// The guest-agent test classes that boot tiny guests run one after the other: two TCG guests booting at once on a
/// 2-core host double each boot time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TinyGuestCollection
{
    public const string Name = "tiny guests";
}
