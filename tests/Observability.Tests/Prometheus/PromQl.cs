using System.Text.RegularExpressions;

namespace Observability.Tests.Prometheus;

/// <summary>Just enough PromQL reading to list the metric names an expression selects.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
        "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
    };

    /// <summary>Grafana's variables, replaced the way Grafana would for the test's job and one-second scrapes.</summary>
    public static string Substitute(string expression) =>
        expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$job", PrometheusServer.Job, StringComparison.Ordinal);

    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var stripped = Strings().Replace(expression, "\"\"");
        stripped = Braces().Replace(stripped, " ");
        stripped = Ranges().Replace(stripped, " ");
        stripped = Groupings().Replace(stripped, " ");
        return [.. Identifiers().Matches(stripped)
            .Where(match => !Keywords.Contains(match.Groups["name"].Value) && !match.Groups["call"].Success)
            .Select(match => match.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex Braces();

    [GeneratedRegex("\\[[^\\]]*\\]")]
    private static partial Regex Ranges();

    [GeneratedRegex("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)")]
    private static partial Regex Groupings();

    [GeneratedRegex("(?<![\\w.:])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\\s*\\()?")]
    private static partial Regex Identifiers();
}
