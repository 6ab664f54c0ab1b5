using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_parsing_durations
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1h 30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1m30s250ms", 90_250)]
    [InlineData("PT1H30M", 5_400_000)]
    [InlineData("pt0.5s", 500)]
    [InlineData("P2D", 172_800_000)]
    [InlineData("P1DT1S", 86_401_000)]
    [InlineData("30", 30_000)]
    [InlineData("0", 0)]
    [InlineData("01:30:00", 5_400_000)]
    public void Valid_durations_parse(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(milliseconds, (long)value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("m5")]
    [InlineData("30m1h")]
    [InlineData("5m5m")]
    [InlineData("-5s")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("PT")]
    [InlineData("1h30")]
    [InlineData("soon")]
    [InlineData(null)]
    public void Invalid_durations_do_not(string? text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Fact]
    public void Parse_names_the_text_and_the_expected_forms()
    {
        var e = Assert.Throws<FormatException>(() => Duration.Parse("5x"));
        Assert.Equal("invalid duration '5x': use e.g. 500ms, 30s, 5m, 1h30m, 2d or ISO 8601 PT1H30M", e.Message);
    }

    [Theory]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(500, "500ms")]
    [InlineData(0, "0s")]
    [InlineData(90_061_001, "1d1h1m1s1ms")]
    public void Format_gives_the_short_form_back(long milliseconds, string text)
    {
        Assert.Equal(text, Duration.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));
    }
}
