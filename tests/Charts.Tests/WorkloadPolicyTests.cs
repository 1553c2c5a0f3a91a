using System.Globalization;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>Checks in the spirit of kube-score and Polaris on the serving workloads.</summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class WorkloadPolicyTests(RenderedSets rendered)
{
    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Every_container_sets_resources_and_a_pinned_image_tag(string set)
    {
        foreach (var pod in rendered[set].Pods())
        {
            foreach (var container in pod.AllContainers)
            {
                var image = container.Text("image") ?? "";
                var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
                Assert.False(tag is "" or "latest", $"{pod}: image '{image}' has no pinned tag or digest");
                Assert.NotNull(container.At("resources.requests.cpu"));
                Assert.NotNull(container.At("resources.requests.memory"));
                Assert.NotNull(container.At("resources.limits.memory"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Servers_probe_liveness_and_readiness_on_distinct_endpoints(string set)
    {
        var servers = rendered[set].Servers().ToList();
        Assert.NotEmpty(servers);
        foreach (var container in servers.SelectMany(s => s.Spec.Objects("containers")))
        {
            Assert.Equal("/livez", container.Text("startupProbe.httpGet.path"));
            Assert.Equal("/livez", container.Text("livenessProbe.httpGet.path"));
            Assert.Equal("/readyz", container.Text("readinessProbe.httpGet.path"));
            Assert.NotEqual(container.Text("livenessProbe.httpGet.path"), container.Text("readinessProbe.httpGet.path"));
            // Liveness must be more patient than readiness: a slow database takes a pod out of rotation, never restarts it.
            Assert.True(
                Seconds(container, "livenessProbe") > Seconds(container, "readinessProbe"),
                "liveness gives up before readiness does");
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Rollouts_never_reduce_capacity_and_keep_ten_revisions(string set)
    {
        foreach (var workload in rendered[set].Where(m => m.Kind is "Deployment" or "Rollout"))
        {
            var spec = workload.Body["spec"];
            Assert.Equal("10", spec.Text("revisionHistoryLimit"));
            Assert.True(Number(spec, "minReadySeconds") > 0, $"{workload}: minReadySeconds");
            Assert.True(Number(spec, "progressDeadlineSeconds") > Number(spec, "minReadySeconds"), $"{workload}: progressDeadlineSeconds");
            if (workload.Kind == "Deployment")
            {
                Assert.Equal("RollingUpdate", spec.Text("strategy.type"));
                Assert.Equal("0", spec.Text("strategy.rollingUpdate.maxUnavailable"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void The_grace_period_outlasts_the_apps_drain_without_a_preStop_sleep(string set)
    {
        // The drain settings are chart-wide: every slot's ConfigMap carries the same.
        var config = rendered[set].OfKind("ConfigMap").First(c => c.Body.At("data")?["Drain__DelaySeconds"] is not null);
        var drain = int.Parse(config.Body.At("data")!["Drain__DelaySeconds"]!.ToString(), CultureInfo.InvariantCulture)
            + int.Parse(config.Body.At("data")!["Drain__TimeoutSeconds"]!.ToString(), CultureInfo.InvariantCulture);
        foreach (var server in rendered[set].Servers())
        {
            Assert.True(Number(server.Spec, "terminationGracePeriodSeconds") > drain, $"{server}: grace period <= drain {drain}s");
            Assert.All(server.Spec.Objects("containers"), c => Assert.Null(c.At("lifecycle.preStop")));
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Selectors_match_the_pods_they_are_meant_for(string set)
    {
        var manifests = rendered[set];
        var pods = manifests.Pods().ToList();
        foreach (var workload in manifests.Where(m => m.Kind is "Deployment" or "Rollout"))
        {
            var selector = workload.Body.Labels("spec.selector.matchLabels");
            var template = workload.Body.Labels("spec.template.metadata.labels");
            Assert.True(selector.Selects(template), $"{workload}: selector does not match its pod template");
        }

        foreach (var selecting in manifests.Where(m => m.Kind is "Service" or "PodDisruptionBudget"))
        {
            var selector = selecting.Kind == "Service" ? selecting.Body.Labels("spec.selector") : selecting.Body.Labels("spec.selector.matchLabels");
            Assert.True(pods.Any(p => p.IsServer && selector.Selects(p.Labels)), $"{selecting} selects no serving pod");
            Assert.False(pods.Any(p => !p.IsServer && selector.Selects(p.Labels)), $"{selecting} selects a Job or test pod");
        }

        foreach (var hpa in manifests.OfKind("HorizontalPodAutoscaler"))
        {
            Assert.Contains(manifests, m => m.Kind == hpa.Body.Text("spec.scaleTargetRef.kind") && m.Name == hpa.Body.Text("spec.scaleTargetRef.name"));
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Service_target_ports_are_container_ports_of_the_selected_pods(string set)
    {
        var pods = rendered[set].Servers().ToList();
        foreach (var service in rendered[set].OfKind("Service"))
        {
            var selected = pods.Where(p => service.Body.Labels("spec.selector").Selects(p.Labels)).ToList();
            foreach (var port in service.Body.Objects("spec.ports"))
            {
                var target = port.Text("targetPort")!;
                Assert.All(selected, p => Assert.True(
                    p.PortNames.Contains(target) || p.Spec.Objects("containers").SelectMany(c => c.Objects("ports")).Any(cp => cp.Text("containerPort") == target),
                    $"{service} port {port.Text("name")} targets '{target}', which {p} does not expose"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Every_workload_with_more_than_one_replica_has_a_disruption_budget(string set)
    {
        var manifests = rendered[set];
        var budgets = manifests.OfKind("PodDisruptionBudget").Select(p => p.Body.Labels("spec.selector.matchLabels")).ToList();
        foreach (var workload in manifests.Where(m => m.Kind is "Deployment" or "Rollout"))
        {
            var hpa = manifests.OfKind("HorizontalPodAutoscaler").FirstOrDefault(h => h.Body.Text("spec.scaleTargetRef.name") == workload.Name);
            var minimum = hpa is null ? Number(workload.Body["spec"], "replicas") : Number(hpa.Body["spec"], "minReplicas");
            var labels = workload.Body.Labels("spec.template.metadata.labels");
            if (minimum > 1)
            {
                Assert.True(budgets.Any(b => b.Selects(labels)), $"{workload} has {minimum} replicas and no PodDisruptionBudget");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Disruption_budgets_let_drains_evict_unready_pods_during_a_database_outage(string set)
    {
        // Readiness follows the database: with the default policy an outage would make every eviction wait for it.
        Assert.All(rendered[set].OfKind("PodDisruptionBudget"), pdb => Assert.Equal("AlwaysAllow", pdb.Body.Text("spec.unhealthyPodEvictionPolicy")));
    }

    [Fact]
    public void The_autoscaler_takes_the_scaling_behavior_as_given()
    {
        var manifests = rendered["production"];

        Assert.All(manifests.OfKind("HorizontalPodAutoscaler"), hpa =>
        {
            Assert.Equal("600", hpa.Body.Text("spec.behavior.scaleDown.stabilizationWindowSeconds"));
            Assert.Equal("Pods", hpa.Body.Objects("spec.behavior.scaleDown.policies").Single().Text("type"));
        });
        Assert.NotEmpty(manifests.OfKind("HorizontalPodAutoscaler"));
        Assert.All(Renderer.Render(["--set", "autoscaling.enabled=true"]).OfKind("HorizontalPodAutoscaler"), hpa => Assert.Null(hpa.Body.At("spec.behavior")));
    }

    [Fact]
    public void A_digest_pins_the_image_while_the_version_label_keeps_the_tag()
    {
        const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var manifests = Renderer.Render(ChartCase.Named("blue-active"), "--set", $"slots.green.image.digest={Digest}", "--set", $"image.digest={Digest.Replace('0', 'f')}");

        var green = manifests.Servers().Single(s => s.Owner.Name == "company-service1-green");
        Assert.Equal($"ghcr.io/example/company-service1@{Digest}", green.Spec.Objects("containers").Single().Text("image"));
        Assert.Equal("1.5.0", green.Labels["version"]);
        // The shared digest pins the shared tag: the blue slot names its own tag, so it keeps it.
        var blue = manifests.Servers().Single(s => s.Owner.Name == "company-service1-blue");
        Assert.Equal("ghcr.io/example/company-service1:1.4.0", blue.Spec.Objects("containers").Single().Text("image"));
        //#if (postgres)
        Assert.Contains($"ghcr.io/example/company-service1@{Digest}", manifests.OfKind("Job").Single().Body.ToJsonString(), StringComparison.Ordinal);
        //#endif
    }

    [Fact]
    public void A_single_replica_gets_no_disruption_budget_that_would_block_node_drains()
    {
        var manifests = Renderer.Render(["--set", "replicaCount=1"]);

        Assert.Empty(manifests.OfKind("PodDisruptionBudget"));
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Servers_expose_the_metrics_port_and_spread_across_nodes_and_zones(string set)
    {
        foreach (var server in rendered[set].Servers())
        {
            var metrics = Assert.Single(server.Spec.Objects("containers").SelectMany(c => c.Objects("ports")), p => p.Text("name") == "metrics");
            Assert.Equal("9464", metrics.Text("containerPort"));
            var keys = server.Spec.Objects("topologySpreadConstraints").Select(t => t.Text("topologyKey")).ToList();
            Assert.Contains("kubernetes.io/hostname", keys);
            Assert.Contains("topology.kubernetes.io/zone", keys);
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Prometheus_scrapes_every_serving_pod_whichever_slot_is_active(string set)
    {
        var manifests = rendered[set];
        foreach (var monitor in manifests.OfKind("ServiceMonitor"))
        {
            var service = Assert.Single(manifests.OfKind("Service"), s => monitor.Body.Labels("spec.selector.matchLabels").Selects(s.Body.Labels("metadata.labels")));
            var endpoint = Assert.Single(monitor.Body.Objects("spec.endpoints"));
            Assert.Equal("/metrics", endpoint.Text("path"));
            Assert.Equal("metrics", Assert.Single(service.Body.Objects("spec.ports"), p => p.Text("name") == endpoint.Text("port")).Text("targetPort"));
            // Both slots (or every Argo ReplicaSet, preview included): no slot or pod-template-hash in the selector.
            Assert.All(manifests.Servers(), p => Assert.True(service.Body.Labels("spec.selector").Selects(p.Labels), $"{p} is not scraped"));
        }

        Assert.All(
            manifests.OfKind("Service").Where(s => s.Name != "company-service1-metrics"),
            s => Assert.DoesNotContain(s.Body.Objects("spec.ports"), p => p.Text("targetPort") == "metrics"));
    }

    private static double Seconds(System.Text.Json.Nodes.JsonObject container, string probe) =>
        Number(container[probe], "periodSeconds") * Number(container[probe], "failureThreshold");

    private static double Number(System.Text.Json.Nodes.JsonNode? node, string path) =>
        double.Parse(node.Text(path) ?? "0", CultureInfo.InvariantCulture);
}
