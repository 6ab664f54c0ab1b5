namespace VirtFlow.Engine.Runtime.Support;

/// <summary>Services when the host gives none.</summary>
internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static readonly EmptyServiceProvider Instance = new();

    public object? GetService(Type serviceType) => null;
}
