using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Company.Service1.Todos;

/// <summary>A todo's version as a strong entity tag, and the If-Match / If-None-Match checks against it.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Reads If-Match. <paramref name="version"/> is null for <c>*</c> (any current version); -1 for a tag that
    /// can never match (weak or foreign: If-Match uses strong comparison, RFC 9110 13.1.1).
    /// Returns false when the header is absent or carries more than one tag.
    /// </summary>
    public static bool TryReadIfMatch(IHeaderDictionary headers, out long? version, out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        version = null;
        error = null;
        var raw = headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "If-Match is missing: send the ETag you last read.";
            return false;
        }

        if (!EntityTagHeaderValue.TryParseList(headers.IfMatch, out var tags) || tags.Count != 1)
        {
            error = "If-Match must carry exactly one entity tag, or *.";
            return false;
        }

        var tag = tags[0];
        if (tag.Equals(EntityTagHeaderValue.Any))
        {
            return true;
        }

        version = !tag.IsWeak && long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : -1;
        return true;
    }

    /// <summary>True when If-None-Match already names this version (weak comparison, RFC 9110 13.1.2).</summary>
    public static bool NoneMatchHits(IHeaderDictionary headers, long version)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!EntityTagHeaderValue.TryParseList(headers.IfNoneMatch, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(Format(version));
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
