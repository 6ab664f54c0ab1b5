using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Auth;

/// <summary>
/// With <c>VirtFlow:Server:Jwt</c> set (here a symmetric signing key, no identity provider), a JWT in
/// <c>Authorization: Bearer</c> authenticates its subject with the roles its role claim maps to; a token signed with
/// another key, for another audience or expired gets 401; API keys keep working beside it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_bearer_token_is_a_jwt(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private const string SigningKey = "a-test-signing-key-of-at-least-32-bytes!!";
    private const string Issuer = "https://idp.test", Audience = "virtflow";

    [Fact]
    public async Task Its_role_claim_maps_to_a_role_its_subject_is_the_caller_and_a_bad_token_is_401()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, o => o.Http!.Jwt = new JwtSettings
        {
            SigningKey = SigningKey,
            Issuer = Issuer,
            Audience = Audience,
            RoleClaim = "groups",
            RoleMapping = { ["vf-operators"] = "operator", ["vf-admins"] = "admin" },
        });

        var operatorClient = api.NewBearerClient(Token("alice", ["vf-operators", "unrelated"]));
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/workflows")).StatusCode);
        var forbidden = await Problems.AssertAsync(await operatorClient.GetAsync("/api/keys"), HttpStatusCode.Forbidden);
        Assert.Equal("operator", forbidden["role"]!.GetValue<string>());

        var adminClient = api.NewBearerClient(Token("bob", ["vf-admins"]));
        Assert.Equal(HttpStatusCode.Created, (await adminClient.PostAsJsonAsync("/api/keys", new { name = "from-jwt", role = "viewer" })).StatusCode);
        var audit = (await api.Admin.GetFromJsonAsync<JsonObject>("/api/audit"))!["items"]!.AsArray();
        Assert.Equal("bob", audit.Single()!["actor"]!.GetValue<string>());

        await Problems.AssertAsync(await api.NewBearerClient(Token("carol", ["unmapped"])).GetAsync("/api/workflows"), HttpStatusCode.Forbidden);
        await Problems.AssertAsync(await api.NewBearerClient(Token("eve", ["vf-admins"], key: "another-signing-key-of-at-least-32-bytes!")).GetAsync("/api/keys"),
            HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await api.NewBearerClient(Token("eve", ["vf-admins"], audience: "other")).GetAsync("/api/keys"), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await api.NewBearerClient(Token("eve", ["vf-admins"], expires: DateTime.UtcNow.AddMinutes(-5))).GetAsync("/api/keys"),
            HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await api.NewBearerClient(api.Keys["admin"]).GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.GetAsync("/api/keys")).StatusCode);
    }

    private static string Token(string subject, string[] groups, string key = SigningKey, string audience = Audience, DateTime? expires = null)
    {
        var identity = new ClaimsIdentity([new Claim("sub", subject), .. groups.Select(g => new Claim("groups", g))]);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = identity,
            Issuer = Issuer,
            Audience = audience,
            NotBefore = (expires ?? now.AddMinutes(10)).AddMinutes(-20),
            IssuedAt = (expires ?? now.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
