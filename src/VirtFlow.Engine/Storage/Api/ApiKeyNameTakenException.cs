namespace VirtFlow.Engine.Storage.Api;

/// <summary>A key of that name exists and is not revoked.</summary>
public sealed class ApiKeyNameTakenException : Exception
{
    public ApiKeyNameTakenException() : this("a key of that name exists")
    {
    }

    public ApiKeyNameTakenException(string message) : base(message)
    {
    }

    public ApiKeyNameTakenException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The exception for <paramref name="name"/>.</summary>
    public static ApiKeyNameTakenException For(string name) =>
        new($"a key named '{name}' exists and is not revoked: revoke it first or choose another name");
}
