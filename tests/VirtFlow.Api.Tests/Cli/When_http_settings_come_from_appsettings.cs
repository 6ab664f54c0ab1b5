using VirtFlow.Hosting.Server;
using VirtFlow.Testing;

namespace VirtFlow.Api.Tests.Cli;

/// <summary><c>VirtFlow:Server:Http</c>, <c>KeyCacheTime</c> and <c>Jwt</c> (with its role mapping) are read from appsettings.json.</summary>
public sealed class When_http_settings_come_from_appsettings
{
    [Fact]
    public void The_url_the_cache_time_and_the_jwt_role_mapping_are_read()
    {
        var dir = TestDirs.Create("appsettings");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """
            { "VirtFlow": { "Server": {
                "Http": "http://0.0.0.0:9090",
                "KeyCacheTime": "00:00:02",
                "Jwt": { "Authority": "https://idp.test", "Audience": "virtflow", "RoleClaim": "groups",
                         "RoleMapping": { "vf-admins": "admin" } } } } }
            """);

        var settings = VirtFlowServerSettings.Load(dir);

        Assert.Equal("http://0.0.0.0:9090", settings.Http);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.KeyCacheTime);
        Assert.Equal("https://idp.test", settings.Jwt!.Authority);
        Assert.Equal("groups", settings.Jwt.RoleClaim);
        Assert.Equal("admin", settings.Jwt.RoleMapping["vf-admins"]);
        settings.Jwt.Validate();
    }

    [Fact]
    public void The_scheduler_settings_are_read()
    {
        var dir = TestDirs.Create("appsettings");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """
            { "VirtFlow": { "Server": { "Schedules": {
                "ClusterName": "site-a", "ClusterCheckinInterval": "00:00:02", "LeaseDuration": "00:00:30", "MaxBackfillFirings": 50 } } } }
            """);

        var schedules = VirtFlowServerSettings.Load(dir).Schedules!;

        Assert.Equal(("site-a", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 50, true),
            (schedules.ClusterName, schedules.ClusterCheckinInterval, schedules.LeaseDuration, schedules.MaxBackfillFirings, schedules.Enabled));
    }

    [Fact]
    public void A_mapping_to_no_role_is_refused_naming_the_setting()
    {
        var jwt = new Hosting.Http.JwtSettings { SigningKey = new string('k', 32), Audience = "a", RoleMapping = { ["g"] = "root" } };

        var e = Assert.Throws<ArgumentException>(jwt.Validate);
        Assert.Contains("VirtFlow:Server:Jwt:RoleMapping:g", e.Message, StringComparison.Ordinal);
    }
}
