using Microsoft.AspNetCore.Http;

namespace Company.Service1.Tests.Todos;

public sealed class ETagsTests
{
    [Theory]
    [InlineData("\"3\"", 3L)]
    [InlineData("*", null)]
    [InlineData("W/\"3\"", -1L)]
    [InlineData("\"abc\"", -1L)]
    public void If_match_reads_the_version_it_must_match(string header, long? expected)
    {
        var headers = new HeaderDictionary { ["If-Match"] = header };
        Assert.True(ETags.TryReadIfMatch(headers, out var version, out _));
        Assert.Equal(expected, version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("not-a-tag")]
    public void If_match_that_is_missing_or_ambiguous_is_refused(string header)
    {
        var headers = new HeaderDictionary { ["If-Match"] = header };
        Assert.False(ETags.TryReadIfMatch(headers, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void If_none_match_compares_weakly()
    {
        Assert.True(ETags.NoneMatchHits(new HeaderDictionary { ["If-None-Match"] = "W/\"4\"" }, 4));
        Assert.False(ETags.NoneMatchHits(new HeaderDictionary { ["If-None-Match"] = "\"5\"" }, 4));
        Assert.False(ETags.NoneMatchHits(new HeaderDictionary(), 4));
    }
}
