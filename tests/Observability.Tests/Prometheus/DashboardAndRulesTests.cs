using System.Text.Json;
using System.Text.RegularExpressions;

namespace Observability.Tests.Prometheus;

/// <summary>
/// Every query of the Grafana dashboard and every expression of the Prometheus rules, evaluated by a real Prometheus
/// scraping the real service as prometheus-operator scrapes it: a query that errors, that selects a metric the service
/// does not export, or that groups by a label the target's own labels displace, fails.
/// </summary>
[Trait("Category", "Process")]
public sealed partial class DashboardAndRulesTests(ServiceUnderTraffic fixture) : IClassFixture<ServiceUnderTraffic>
{
    public static TheoryData<string, string> DashboardQueries() => Queries(Targets());

    /// <summary>The panels that split traffic by route, as their titles say.</summary>
    public static TheoryData<string, string> QueriesByRoute() => Queries(Targets().Where(t => t.Panel.Contains(" by route [", StringComparison.Ordinal)));

    public static TheoryData<string, string, string> QueriesWithLegendLabels()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (panel, expression, legend) in Targets().Where(t => t.Legend.Contains("{{", StringComparison.Ordinal)))
        {
            data.Add(panel, expression, legend);
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

    /// <summary>
    /// A route label named like a target label (prometheus-operator's endpoint is the port's name) would be moved to
    /// exported_endpoint, and the panel would draw one line for the whole service.
    /// </summary>
    [Theory]
    [MemberData(nameof(QueriesByRoute))]
    public async Task Dashboard_panel_by_route_draws_a_line_per_route(string panel, string expression)
    {
        var result = await fixture.Prometheus.QueryAsync(PromQl.Substitute(expression));

        // Requests no route matched have route="", which Prometheus stores as no label at all.
        var routes = result.Select(series => series.GetProperty("metric").TryGetProperty("route", out var route) ? route.GetString() : null).OfType<string>();
        Assert.True(routes.Distinct().Count() > 1, $"Panel '{panel}' draws no line per route ({result.Length} lines): {expression}");
    }

    [Theory]
    [MemberData(nameof(QueriesWithLegendLabels))]
    public async Task Dashboard_legend_names_only_labels_its_series_carry(string panel, string expression, string legend)
    {
        var result = await fixture.Prometheus.QueryAsync(PromQl.Substitute(expression));

        foreach (var label in LegendLabels().Matches(legend).Select(m => m.Groups["label"].Value))
        {
            Assert.True(result.Any(series => series.GetProperty("metric").TryGetProperty(label, out _)),
                $"Panel '{panel}' names {{{{{label}}}}} in its legend, which none of its series carries: {expression}");
        }
    }

    /// <summary>
    /// The scrape relabels like prometheus-operator: a label of the service's that shares its name with a target
    /// label (job, instance, endpoint, namespace, service, pod, container, the ServiceMonitor's podTargetLabels) is
    /// moved to exported_&lt;name&gt;, and every query by that name reads the target's value instead.
    /// </summary>
    [Fact]
    public async Task No_label_of_the_service_collides_with_a_target_label()
    {
        var names = (await fixture.Prometheus.GetAsync("/api/v1/labels")).GetProperty("data").EnumerateArray().Select(n => n.GetString()!);

        Assert.DoesNotContain(names, name => name.StartsWith("exported_", StringComparison.Ordinal));
    }

    /// <summary>The test above means something only if the scrape adds every label prometheus-operator adds.</summary>
    [Fact]
    public async Task The_scrape_adds_the_target_labels_of_prometheus_operator_and_the_ServiceMonitor()
    {
        var info = Assert.Single(await fixture.Prometheus.QueryAsync("service_build_info"));

        var labels = info.GetProperty("metric").EnumerateObject().Select(label => label.Name).ToList();
        Assert.All(["job", "instance", "endpoint", "namespace", "service", "pod", "container", "slot", "version", "rollouts_pod_template_hash"],
            target => Assert.Contains(target, labels));
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
        var result = await fixture.Prometheus.QueryAsync($"sum(rate(http_requests_received_total{{job=\"{PrometheusServer.Job}\"}}[1m]))");

        Assert.Empty(result);
    }

    private static TheoryData<string, string> Queries(IEnumerable<(string Panel, string Expression, string Legend)> targets)
    {
        var data = new TheoryData<string, string>();
        foreach (var (panel, expression, _) in targets)
        {
            data.Add(panel, expression);
        }

        return data;
    }

    private static List<(string Panel, string Expression, string Legend)> Targets()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(ServiceUnderTraffic.DashboardFile));
        var targets = new List<(string, string, string)>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.TryGetProperty("targets", out _)))
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                targets.Add(($"{panel.GetProperty("title").GetString()} [{target.GetProperty("refId").GetString()}]", target.GetProperty("expr").GetString()!,
                    target.TryGetProperty("legendFormat", out var legend) ? legend.GetString()! : ""));
            }
        }

        return targets;
    }

    [GeneratedRegex("\\{\\{\\s*(?<label>\\w+)\\s*\\}\\}")]
    private static partial Regex LegendLabels();

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
