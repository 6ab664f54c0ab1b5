namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// The roles, which are also the authorization policies' names: <see cref="Viewer"/> reads; <see cref="Operator"/> starts,
/// cancels, retries, sends events and dry runs; <see cref="Admin"/> drafts, publishes, manages keys and reads the audit.
/// Each includes the ones before it. Every endpoint has <c>.RequireAuthorization(ApiRoles.X)</c>.
/// </summary>
public static class ApiRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>The roles, weakest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>Whether <paramref name="role"/> is one of <see cref="All"/>.</summary>
    public static bool IsRole(string? role) => role is Viewer or Operator or Admin;

    /// <summary>The roles that include <paramref name="role"/>: itself and the stronger ones.</summary>
    public static IReadOnlyList<string> AtLeast(string role)
    {
        var index = All.ToList().IndexOf(role);
        if (index < 0) throw new ArgumentException($"'{role}' is not a role (viewer, operator, admin)", nameof(role));
        return [.. All.Skip(index)];
    }
}
