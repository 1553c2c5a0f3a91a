//#if (postgres)
using System.Data.Common;
//#endif
using System.IO.Enumeration;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

public sealed class ComposeTests(ComposeFile compose) : IClassFixture<ComposeFile>
{
    private static readonly string ChartDashboard = Repository.PathOf("charts/company-service1/files/grafana-dashboard.json");
    private static readonly string ChartRules = Repository.PathOf("charts/company-service1/files/prometheus-rules.yaml");

    [Fact]
    public void Docker_compose_accepts_the_file()
    {
        Assert.True(compose.ConfigExitCode == 0, "docker-compose config failed:\n" + compose.ConfigOutput);
    }

    [Fact]
    public void The_stack_has_every_part()
    {
        string[] expected =
        [
            "aspire-dashboard", "company-service1", "elasticsearch", "grafana", "kibana", "prometheus",
//#if (postgres)
            "migrate", "postgres",
//#endif
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), compose.ServiceNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_file_compose_mounts_or_builds_from_exists()
    {
        var missing = compose.ServiceNames
            .SelectMany(s => compose.BindMounts(s).Select(m => (Service: s, m.Host)))
            .Where(m => !File.Exists(m.Host) && !Directory.Exists(m.Host))
            .Select(m => $"{m.Service}: {m.Host}")
            .ToList();
        var build = compose.Service("company-service1").Map("build");

        Assert.True(missing.Count == 0, "mounted paths that do not exist:\n" + string.Join('\n', missing));
        Assert.True(File.Exists(Path.Combine(build.Text("context")!, build.Text("dockerfile")!)), "the service's Dockerfile does not exist");
    }

    [Fact]
    public void Grafana_shows_the_dashboard_file_the_chart_ships()
    {
        var mounted = compose.HostPathOf("grafana", "/var/lib/grafana/dashboards/company-service1.json");
        var chartTemplates = Directory.GetFiles(Repository.PathOf("charts/company-service1/templates"), "*.yaml").Select(File.ReadAllText);

        Assert.Equal(ChartDashboard, mounted);
        Assert.Contains(chartTemplates, t => t.Contains("files/grafana-dashboard.json", StringComparison.Ordinal));
        using var dashboard = JsonDocument.Parse(File.ReadAllText(mounted));
        Assert.NotEqual(0, dashboard.RootElement.GetProperty("panels").GetArrayLength());
    }

    [Fact]
    public void Prometheus_loads_the_alert_rules_the_chart_ships()
    {
        var prometheusConfig = Yaml.Parse(File.ReadAllText(compose.HostPathOf("prometheus", "/etc/prometheus/prometheus.yml")));
        var rulesMount = compose.BindMounts("prometheus").Single(m => m.Host == ChartRules);
        var patterns = prometheusConfig.Items("rule_files").Select(r => r.ToString()).ToList();
        var chartTemplates = Directory.GetFiles(Repository.PathOf("charts/company-service1/templates"), "*.yaml").Select(File.ReadAllText);

        Assert.Contains(patterns, p => FileSystemName.MatchesSimpleExpression(p, rulesMount.Container));
        Assert.Contains(chartTemplates, t => t.Contains("files/prometheus-rules.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_config_and_mounted_rules_pass_promtool()
    {
        // Lay out the container's view of the mounted files under a temporary root, point the config's absolute
        // paths there, and let promtool check the config together with every rule file it loads.
        var root = Directory.CreateTempSubdirectory("compose-prometheus-").FullName;
        try
        {
            foreach (var (host, container) in compose.BindMounts("prometheus"))
            {
                var target = root + container;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(host, target);
            }

            var config = root + "/etc/prometheus/prometheus.yml";
            var text = await File.ReadAllTextAsync(config);
            await File.WriteAllTextAsync(config, text.Replace("- /etc/prometheus/", $"- {root}/etc/prometheus/", StringComparison.Ordinal));

            var (exitCode, output) = await ProcessRunner.RunAsync("promtool", ["check", "config", config], TimeSpan.FromSeconds(60));

            Assert.True(exitCode == 0, "promtool check config failed:\n" + output);
            Assert.Contains("company-service1.rules.yaml", output, StringComparison.Ordinal);
            Assert.Matches(@"SUCCESS: [1-9]\d* rules found", output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Prometheus_scrapes_the_services_management_port()
    {
        var prometheusConfig = Yaml.Parse(File.ReadAllText(compose.HostPathOf("prometheus", "/etc/prometheus/prometheus.yml")));
        var job = prometheusConfig.Items("scrape_configs").Single(j => j.Text("job_name") == "company-service1");
        var targets = job.Items("static_configs").SelectMany(c => c.Items("targets")).Select(t => t.ToString()).ToList();

        Assert.Equal(["company-service1:9464"], targets);
        Assert.Equal("/metrics", job.Text("metrics_path"));
        Assert.Equal("9464", compose.Environment("company-service1")["Management__Port"]);
    }

    [Fact]
    public void Grafana_provisioning_parses_and_points_at_the_stack()
    {
        var datasourceDir = compose.HostPathOf("grafana", "/etc/grafana/provisioning/datasources");
        var dashboardDir = compose.HostPathOf("grafana", "/etc/grafana/provisioning/dashboards");
        var datasources = Directory.GetFiles(datasourceDir, "*.yaml").SelectMany(f => Yaml.Parse(File.ReadAllText(f)).Items("datasources")).ToList();
        var providers = Directory.GetFiles(dashboardDir, "*.yaml").SelectMany(f => Yaml.Parse(File.ReadAllText(f)).Items("providers")).ToList();

        Assert.Equal(["elasticsearch", "prometheus"], datasources.Select(d => d.Text("type")).Order(StringComparer.Ordinal));
        foreach (var datasource in datasources)
        {
            var url = new Uri(datasource.Text("url")!);
            Assert.Contains(url.Host, compose.ServiceNames);
        }

        var provider = Assert.Single(providers);
        Assert.Equal("file", provider.Text("type"));
        var dashboardPath = provider.Get("options")!.Text("path")!;
        Assert.Contains(compose.BindMounts("grafana"), m => m.Container.StartsWith(dashboardPath + "/", StringComparison.Ordinal) && m.Container.EndsWith(".json", StringComparison.Ordinal));
    }

    [Fact]
    public void The_dashboards_data_sources_are_provisioned()
    {
        var datasourceDir = compose.HostPathOf("grafana", "/etc/grafana/provisioning/datasources");
        var provisioned = Directory.GetFiles(datasourceDir, "*.yaml")
            .SelectMany(f => Yaml.Parse(File.ReadAllText(f)).Items("datasources"))
            .Select(d => (Uid: d.Text("uid"), Type: d.Text("type"), IsDefault: d.Text("isDefault") == "true"))
            .ToList();
        using var dashboard = JsonDocument.Parse(File.ReadAllText(ChartDashboard));
        var referenced = DataSourceReferences(dashboard.RootElement).ToList();

        // Panels that name no data source use the default one: it must be Prometheus.
        Assert.Single(provisioned, p => p.IsDefault && p.Type == "prometheus");
        foreach (var (uid, type) in referenced)
        {
            // "${datasource}"-style references resolve through a dashboard variable of that type.
            var resolvable = uid.StartsWith('$')
                ? provisioned.Any(p => p.Type == type) || provisioned.Any(p => p.Type == "prometheus")
                : provisioned.Any(p => p.Uid == uid);
            Assert.True(resolvable, $"the dashboard uses data source '{uid}' ({type}), which is not provisioned");
        }
    }

    [Fact]
    public void The_local_stack_opts_out_of_authentication_because_it_has_no_token_issuer()
    {
        // The image runs as Production: without this (or an issuer) the service exits 2 and the stack never starts.
        Assert.Equal("true", compose.Environment("company-service1")["Authentication__Disabled"]);
    }

    [Fact]
    public void Service_environment_and_ports_match_the_documented_configuration()
    {
        var env = compose.Environment("company-service1");

        Assert.Equal("8080", env["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("9464", env["Management__Port"]);
        Assert.Contains(env["Service__Slot"], new[] { "blue", "green" });
        Assert.Equal(
            [("127.0.0.1", 8080), ("127.0.0.1", 9464)],
            compose.PublishedPorts("company-service1").OrderBy(p => p.ContainerPort));

        var otlp = new Uri(env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        // The dashboard container's OTLP/gRPC port; its UI (published) is 18888.
        Assert.Equal(("aspire-dashboard", 18889), (otlp.Host, otlp.Port));
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("true", env["Telemetry__ExportLogs"]);
        Assert.Equal([("127.0.0.1", 18888)], compose.PublishedPorts("aspire-dashboard"));
    }

    //#if (postgres)
    [Fact]
    public void The_service_connects_to_the_stacks_postgres_with_its_credentials()
    {
        var postgres = compose.Environment("postgres");
        var connection = new DbConnectionStringBuilder { ConnectionString = compose.Environment("company-service1")["ConnectionStrings__Postgres"] };

        Assert.Equal("postgres", connection["Host"]);
        Assert.Equal("5432", connection["Port"]);
        Assert.Equal(postgres["POSTGRES_DB"], connection["Database"]);
        Assert.Equal(postgres["POSTGRES_USER"], connection["Username"]);
        Assert.Equal(postgres["POSTGRES_PASSWORD"], connection["Password"]);
    }

    [Fact]
    public void The_service_starts_only_after_the_migration_succeeded()
    {
        var service = compose.Service("company-service1");
        var migrate = compose.Service("migrate");

        Assert.Equal(["migrate"], migrate.Items("command").Select(c => c.ToString()));
        Assert.Equal(service.Text("image"), migrate.Text("image"));
        Assert.Equal(compose.Environment("company-service1")["ConnectionStrings__Postgres"], compose.Environment("migrate")["ConnectionStrings__Postgres"]);
        Assert.Equal("service_completed_successfully", service.Get("depends_on")!.Get("migrate")!.Text("condition"));
        Assert.Equal("service_healthy", migrate.Get("depends_on")!.Get("postgres")!.Text("condition"));
    }
    //#endif

    [Fact]
    public void The_database_parts_come_and_go_together()
    {
        var withDatabase = compose.ServiceNames.Contains("postgres");

        Assert.Equal(withDatabase, compose.ServiceNames.Contains("migrate"));
        Assert.Equal(withDatabase, compose.Environment("company-service1").ContainsKey("ConnectionStrings__Postgres"));
        Assert.Equal(withDatabase, compose.Resolved.Get("volumes")?.Get("postgres-data") is not null);
        Assert.Equal(withDatabase, compose.Service("company-service1").Get("depends_on")?.Get("migrate") is not null);
    }

    [Fact]
    public void Every_health_condition_waits_on_a_service_with_a_health_check()
    {
        var waits = compose.ServiceNames
            .SelectMany(s => compose.Service(s).Get("depends_on").Entries().Select(d => (Service: s, Dependency: d.Key, Condition: d.Value.Text("condition"))))
            .ToList();

        Assert.Contains(waits, w => w.Condition == "service_healthy");
        Assert.All(
            waits.Where(w => w.Condition == "service_healthy"),
            w => Assert.True(compose.Service(w.Dependency).Get("healthcheck") is YamlMappingNode, $"{w.Service} waits for {w.Dependency} to be healthy, which has no health check"));
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback()
    {
        var exposed = compose.ServiceNames
            .SelectMany(s => compose.PublishedPorts(s).Select(p => (Service: s, p.HostIp, p.ContainerPort)))
            .Where(p => p.HostIp != "127.0.0.1")
            .ToList();

        Assert.True(exposed.Count == 0, "ports published on every interface: " + string.Join(", ", exposed));
    }

    private static IEnumerable<(string Uid, string Type)> DataSourceReferences(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "datasource" && property.Value.ValueKind == JsonValueKind.Object &&
                    property.Value.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String)
                {
                    var type = property.Value.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                    yield return (uid.GetString()!, type);
                }

                foreach (var nested in DataSourceReferences(property.Value))
                {
                    yield return nested;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var nested in DataSourceReferences(item))
                {
                    yield return nested;
                }
            }
        }
    }
}
