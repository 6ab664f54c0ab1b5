using Microsoft.Extensions.Configuration;
using VirtFlow.Engine.Expressions;
using VirtFlow.Hosting.Engine;

namespace VirtFlow.Hosting.Tests.Engine;

/// <summary>The script sandbox's limits from configuration section <c>VirtFlow:Scripts</c>.</summary>
public sealed class When_script_limits_come_from_configuration
{
    private static ScriptLimitsSettings Settings(params (string Key, string Value)[] values) =>
        ScriptLimitsSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("VirtFlow:Scripts:" + v.Key, v.Value)))
            .Build());

    [Fact]
    public void Unset_values_keep_the_defaults()
    {
        var options = Settings().ToOptions();

        Assert.Equal(TimeSpan.FromSeconds(1), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WatchdogMargin);
        Assert.Equal(16L << 20, options.MemoryLimitBytes);
        Assert.Equal(64, options.MaxRecursionDepth);
        Assert.Equal(20_000_000, options.MaxStatements);
    }

    [Fact]
    public void Each_limit_can_be_set()
    {
        var options = Settings(("Timeout", "2s"), ("WatchdogMargin", "100ms"), ("MemoryLimitBytes", "33554432"),
            ("MaxRecursionDepth", "32"), ("MaxStatements", "0")).ToOptions();

        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.WatchdogMargin);
        Assert.Equal(32L << 20, options.MemoryLimitBytes);
        Assert.Equal(32, options.MaxRecursionDepth);
        Assert.Equal(0, options.MaxStatements);
        using var evaluator = new JintExpressionEvaluator(options);
        var e = Assert.Throws<ExpressionException>(() => evaluator.RunScript("function f(n) { return f(n + 1); }\nreturn f(0);", new ExpressionScope()));
        Assert.Contains("exceeded the maximum call depth of 32", e.Message);
    }

    [Theory]
    [InlineData("Timeout", "soon", "VirtFlow:Scripts:Timeout 'soon' is not a duration (1s, 500ms, hh:mm:ss)")]
    [InlineData("Timeout", "48h", "VirtFlow:Scripts:Timeout must be between 1ms and 24h (was 2d)")]
    [InlineData("MemoryLimitBytes", "1000", "VirtFlow:Scripts:MemoryLimitBytes must be at least 4194304 (4 MB; was 1000)")]
    [InlineData("MaxRecursionDepth", "0", "VirtFlow:Scripts:MaxRecursionDepth must be at least 1 (was 0)")]
    [InlineData("MaxStatements", "-1", "VirtFlow:Scripts:MaxStatements must be 0 (no limit) or more (was -1)")]
    public void A_bad_value_is_one_line_naming_the_setting(string key, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings((key, value)).ToOptions());
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_section()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings(("MemoryLimitBytes", "lots")));
        Assert.StartsWith("VirtFlow:Scripts: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
