namespace VirtFlow.Qmp;

/// <summary>The life of a <see cref="QmpClient"/> connection. It only moves forward.</summary>
public enum QmpClientState
{
    /// <summary>Socket open, greeting or capabilities negotiation in progress.</summary>
    Connecting,

    /// <summary>Negotiated; the read loop runs and commands may be sent.</summary>
    Running,

    /// <summary>The connection ended (peer closed, error, or dispose); every call fails with <see cref="QmpErrorClasses.Disconnected"/>.</summary>
    Disconnected,
}
