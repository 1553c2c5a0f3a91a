using System.Text.Json;
using System.Text.RegularExpressions;

namespace Observability.Tests.Prometheus;

/// <summary>
/// Every query of the Grafana dashboard and every expression of the Prometheus rules, evaluated by a real Prometheus
/// scraping the real service: a query that errors, or that selects a metric the service does not export, fails.
/// </summary>
[Trait("Category", "Process")]
public sealed class DashboardAndRulesTests(ServiceUnderTraffic fixture) : IClassFixture<ServiceUnderTraffic>
{
    public static TheoryData<string, string> DashboardQueries()
    {
        var data = new TheoryData<string, string>();
        using var dashboard = JsonDocument.Parse(File.ReadAllText(ServiceUnderTraffic.DashboardFile));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.TryGetProperty("targets", out _)))
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                data.Add($"{panel.GetProperty("title").GetString()} [{target.GetProperty("refId").GetString()}]", target.GetProperty("expr").GetString()!);
            }
        }

        return data;
    }

    public static TheoryData<string, string> RecordingRules() => Rules("record");

    public static TheoryData<string, string> AlertRules() => Rules("alert");

    [Theory]
    [MemberData(nameof(DashboardQueries))]
    public async Task Dashboard_panel_query_returns_series(string panel, string expression)
    {
        var result = await fixture.Prometheus.QueryAsync(PromQl.Substitute(expression));

        Assert.True(result.Length > 0, $"Panel '{panel}' shows no data: {expression}");
    }

    [Fact]
    public async Task Dashboard_job_variable_finds_the_service()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(ServiceUnderTraffic.DashboardFile));
        var definition = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == "job").GetProperty("definition").GetString()!;
        var metric = Regex.Match(definition, "label_values\\((\\w+), job\\)").Groups[1].Value;

        var result = await fixture.Prometheus.QueryAsync(metric);

        Assert.Contains(result, series => series.GetProperty("metric").GetProperty("job").GetString() == PrometheusServer.Job);
    }

    [Theory]
    [MemberData(nameof(RecordingRules))]
    public async Task Recording_rule_expression_returns_series(string rule, string expression)
    {
        var result = await fixture.Prometheus.QueryAsync(expression);

        Assert.True(result.Length > 0, $"Recording rule {rule} yields nothing: {expression}");
    }

    /// <summary>An alert's expression is empty while all is well, so each metric it selects must have series.</summary>
    [Theory]
    [MemberData(nameof(AlertRules))]
    public async Task Alert_expression_is_valid_and_every_metric_it_selects_has_series(string alert, string expression)
    {
        await fixture.Prometheus.QueryAsync(expression);
        var metrics = PromQl.MetricNames(expression);

        Assert.NotEmpty(metrics);
        foreach (var metric in metrics)
        {
            var series = await fixture.Prometheus.QueryAsync($"{{__name__=\"{metric}\"}}");
            Assert.True(series.Length > 0, $"Alert {alert} selects {metric}, which has no series.");
        }
    }

    [Fact]
    public async Task Prometheus_evaluates_every_rule_without_error()
    {
        var rules = await fixture.Prometheus.GetAsync("/api/v1/rules");

        var all = rules.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(Rules("record").Count + Rules("alert").Count, all.Count);
        Assert.All(all, rule => Assert.Equal("ok", rule.GetProperty("health").GetString()));
    }

    [Fact]
    public async Task A_query_for_a_metric_the_service_does_not_export_is_caught()
    {
        var result = await fixture.Prometheus.QueryAsync("sum(rate(http_requests_received_total{job=\"company-service1\"}[1m]))");

        Assert.Empty(result);
    }

    private static TheoryData<string, string> Rules(string kind)
    {
        var data = new TheoryData<string, string>();
        string? name = null;
        var lines = File.ReadAllLines(ServiceUnderTraffic.RuleFile);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("- record: ", StringComparison.Ordinal) || line.StartsWith("- alert: ", StringComparison.Ordinal))
            {
                name = line.StartsWith($"- {kind}: ", StringComparison.Ordinal) ? line[(kind.Length + 4)..] : null;
            }
            else if (name is not null && line.StartsWith("expr:", StringComparison.Ordinal))
            {
                data.Add(name, ReadExpression(lines, i));
                name = null;
            }
        }

        return data;
    }

    /// <summary>An <c>expr:</c> value: inline, or a <c>|</c> block of the more-indented lines that follow.</summary>
    private static string ReadExpression(string[] lines, int index)
    {
        var inline = lines[index].Trim()["expr:".Length..].Trim();
        if (inline != "|")
        {
            return inline;
        }

        var indent = lines[index].Length - lines[index].TrimStart().Length;
        var block = lines.Skip(index + 1).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length > indent).Select(l => l.Trim());
        return string.Join('\n', block).Trim();
    }
}
