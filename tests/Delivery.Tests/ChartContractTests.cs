using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

/// <summary>
/// The values and object names the e2e and deploy scripts rely on, rendered with the real chart and helm. The live
/// runs happen on GitHub (kind); these catch a renamed value or object before a workflow does.
/// </summary>
public sealed class ChartContractTests
{
    private static readonly Lazy<string> Helm = new(() =>
    {
        var output = ProcessRunner.RunCheckedAsync(Repository.PathOf("scripts/setup/helm.sh"), [], TimeSpan.FromMinutes(5), Repository.Root)
            .GetAwaiter().GetResult();
        return Path.Combine(output.Trim().Split('\n')[^1].Trim(), "helm");
    });

    [Theory]
    [InlineData(false)]
    //#if (istio)
    [InlineData(true)]
    //#endif
    public async Task The_e2e_settings_render_a_release_with_green_active_on_the_new_image(bool istio)
    {
        var objects = await RenderE2eAsync(istio, "--set", "activeSlot=green", "--set", "image.tag=e2e-1", "--set", "slots.blue.image.tag=e2e-1", "--set", "slots.green.image.tag=e2e-2");

        Assert.Equal("company-service1:e2e-2", ContainerImage(Find(objects, "Deployment", "company-service1-green")));
        Assert.Equal("company-service1:e2e-1", ContainerImage(Find(objects, "Deployment", "company-service1-blue")));
        Assert.Equal("blue", Find(objects, "Service", "company-service1-preview").Map("spec").Map("selector").Text("slot"));
        if (istio)
        {
            var routes = Find(objects, "VirtualService", "company-service1").Map("spec").Items("http").ToList();
            var defaultRoute = routes.Single(r => r.Text("name") == "active-slot");
            Assert.Equal("green", defaultRoute.Items("route").Single().Get("destination")!.Text("subset"));
            var principals = Find(objects, "AuthorizationPolicy", "company-service1").Map("spec").Items("rules")
                .SelectMany(r => r.Items("from")).SelectMany(f => f.Get("source")!.Items("principals")).Select(p => p.ToString());
            Assert.Contains("cluster.local/ns/company-service1-e2e/sa/e2e-client", principals);
        }
        else
        {
            Assert.Equal("green", Find(objects, "Service", "company-service1").Map("spec").Map("selector").Text("slot"));
            Assert.DoesNotContain(objects, o => o.Text("kind") == "VirtualService");
        }
    }

    [Fact]
    public async Task The_e2e_client_is_the_caller_the_network_policy_admits()
    {
        var objects = await RenderE2eAsync(false, "--set", "slots.green.enabled=false");
        var ingress = Find(objects, "NetworkPolicy", "company-service1-allow-ingress").Map("spec").Items("ingress").First();
        var gateway = ingress.Items("from").First();

        Assert.Equal("company-service1-e2e", gateway.Get("namespaceSelector")!.Map("matchLabels").Text("kubernetes.io/metadata.name"));
        Assert.Equal("e2e-client", gateway.Get("podSelector")!.Map("matchLabels").Text("app.kubernetes.io/name"));
        Assert.DoesNotContain(objects, o => o.Text("kind") == "Deployment" && o.Map("metadata").Text("name") == "company-service1-green");
    }

    [Fact]
    public async Task The_values_the_deploy_script_sets_move_traffic_and_images()
    {
        // blue-green-deploy.sh: slots.<idle>.enabled/image.tag, then activeSlot; smoke through <release>-preview.
        var objects = await RenderChartAsync(
            "--namespace", "shop", "--set", "istio.enabled=false",
            "--set", "activeSlot=green", "--set", "slots.green.enabled=true", "--set", "slots.green.image.tag=1.4.0", "--set", "slots.blue.image.tag=1.3.0");

        Assert.EndsWith(":1.4.0", ContainerImage(Find(objects, "Deployment", "company-service1-green")), StringComparison.Ordinal);
        Assert.EndsWith(":1.3.0", ContainerImage(Find(objects, "Deployment", "company-service1-blue")), StringComparison.Ordinal);
        Assert.Equal("green", Find(objects, "Service", "company-service1").Map("spec").Map("selector").Text("slot"));
        Assert.Equal("blue", Find(objects, "Service", "company-service1-preview").Map("spec").Map("selector").Text("slot"));

        // IMAGE_DIGEST: slots.<idle>.image.digest pins the slot; set empty, the slot runs its tag again.
        const string Digest = "sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        var pinned = await RenderChartAsync("--set", "istio.enabled=false", "--set", "slots.green.image.tag=1.4.0", "--set", $"slots.green.image.digest={Digest}");
        Assert.EndsWith("@" + Digest, ContainerImage(Find(pinned, "Deployment", "company-service1-green")), StringComparison.Ordinal);
        var unpinned = await RenderChartAsync("--set", "istio.enabled=false", "--set", "slots.green.image.tag=1.4.0", "--set", "slots.green.image.digest=");
        Assert.EndsWith(":1.4.0", ContainerImage(Find(unpinned, "Deployment", "company-service1-green")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    //#if (istio)
    [InlineData(true)]
    //#endif
    public async Task The_bad_release_e2e_fails_only_green_and_its_Prometheus_is_let_in(bool istio)
    {
        // scripts/e2e/bad-release.sh: green's own configuration turns the drill on at 50%; its Prometheus (namespace
        // monitoring, label app.kubernetes.io/name=prometheus) keeps the container ports named metrics (and Envoy's),
        // labelled by the pods' slot; the e2e client is let in by a peer of its own.
        var script = Repository.Read("scripts/e2e/bad-release.sh");
        string[] settings =
        [
            "--set", "slots.green.config.drillsEnabled=true",
            "--set-string", "slots.green.config.extra.Drills__FaultRate=0.5",
            "--set-json", """networkPolicy.ingress.extraFrom=[{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"e2e-client"}}}]""",
        ];
        Assert.All(settings.Where((_, i) => i % 2 == 1), setting => Assert.Contains(setting, script, StringComparison.Ordinal));
        Assert.Contains("monitoring_namespace=monitoring\n", script, StringComparison.Ordinal);
        Assert.Contains("prometheus_label=prometheus\n", script, StringComparison.Ordinal);
        Assert.Contains("            regex: metrics\n", script, StringComparison.Ordinal);

        var objects = await RenderE2eAsync(istio, settings);

        var green = ConfigOf(objects, "company-service1-green");
        Assert.Equal("true", green.Text("Drills__Enabled"));
        Assert.Equal("0.5", green.Text("Drills__FaultRate"));
        Assert.Null(ConfigOf(objects, "company-service1-blue").Get("Drills__FaultRate"));
        var pod = Find(objects, "Deployment", "company-service1-green").Map("spec").Map("template");
        Assert.Equal("green", pod.Map("metadata").Map("labels").Text("slot"));
        var metricsPort = pod.Map("spec").Items("containers").First().Items("ports").Single(p => p.Text("name") == "metrics").Text("containerPort");

        var rules = Find(objects, "NetworkPolicy", "company-service1-allow-ingress").Map("spec").Items("ingress").ToList();
        var scrapedPorts = rules
            .Where(r => r.Items("from").Any(f =>
                f.Get("namespaceSelector")?.Map("matchLabels").Text("kubernetes.io/metadata.name") == "monitoring"
                && f.Get("podSelector")?.Map("matchLabels").Text("app.kubernetes.io/name") == "prometheus"))
            .SelectMany(r => r.Items("ports")).Select(p => p.Text("port")).ToList();
        Assert.Contains(metricsPort, scrapedPorts);
        Assert.Equal(istio, scrapedPorts.Contains("15090"));
        Assert.Contains(rules.First().Items("from"), f => f.Get("namespaceSelector") is null
            && f.Get("podSelector")?.Map("matchLabels").Text("app.kubernetes.io/name") == "e2e-client");
        if (istio)
        {
            Assert.Contains("            regex: http-envoy-prom\n", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_e2e_tokens_are_minted_for_the_Secret_and_the_issuer_the_pods_check()
    {
        // lib.sh's e2e_token: scripts/mint-token.sh with --secret <fullname>-jwt, issuer and audience <fullname>.
        var lib = Repository.Read("scripts/e2e/lib.sh");
        Assert.Contains("\"$e2e_repo/scripts/mint-token.sh\" --secret \"$fullname-jwt\"", lib, StringComparison.Ordinal);
        Assert.Contains("--issuer \"$fullname\" --audience \"$fullname\"", lib, StringComparison.Ordinal);

        var objects = await RenderE2eAsync(false);

        Assert.False(string.IsNullOrEmpty(Find(objects, "Secret", "company-service1-jwt").Map("data").Text("jwks")));
        foreach (var slot in new[] { "blue", "green" })
        {
            var env = Find(objects, "Deployment", $"company-service1-{slot}").Map("spec").Map("template").Map("spec").Items("containers").First().Items("env").ToList();
            Assert.Equal("company-service1", env.Single(e => e.Text("name") == "Authentication__Issuer").Text("value"));
            Assert.Equal("company-service1", env.Single(e => e.Text("name") == "Authentication__Audience").Text("value"));
            var keys = env.Single(e => e.Text("name") == "Authentication__SigningKeys").Map("valueFrom").Map("secretKeyRef");
            Assert.Equal("company-service1-jwt", keys.Text("name"));
            Assert.Equal("jwks", keys.Text("key"));
        }
    }

    //#if (postgres)
    [Fact]
    public async Task The_database_e2e_runs_the_migration_hook_against_the_PostgreSQL_the_egress_policy_admits()
    {
        // scripts/e2e/database.sh: its own release with database.existingSecret, PostgreSQL in `database`.
        var script = Repository.Read("scripts/e2e/database.sh");
        var objects = await RenderE2eAsync(false, "--set", "database.existingSecret=company-service1-db-db", "--set", "replicaCount=1", "--set", "slots.green.enabled=false");

        var job = Find(objects, "Job", "company-service1-migrate");
        Assert.Equal("pre-install,pre-upgrade", job.Map("metadata").Map("annotations").Text("helm.sh/hook"));
        Assert.Contains("hook-succeeded", job.Map("metadata").Map("annotations").Text("helm.sh/hook-delete-policy"), StringComparison.Ordinal);
        var account = Find(objects, "ServiceAccount", job.Map("spec").Map("template").Map("spec").Text("serviceAccountName")!);
        Assert.Contains("hook-succeeded", account.Map("metadata").Map("annotations").Text("helm.sh/hook-delete-policy"), StringComparison.Ordinal);

        var postgres = Find(objects, "NetworkPolicy", "company-service1-allow-egress").Map("spec").Items("egress")
            .Single(rule => rule.Items("ports").Any(p => p.Text("port") == "5432"));
        var peer = postgres.Items("to").Single();
        Assert.Equal("database", peer.Get("namespaceSelector")!.Map("matchLabels").Text("kubernetes.io/metadata.name"));
        Assert.Equal("postgresql", peer.Get("podSelector")!.Map("matchLabels").Text("app.kubernetes.io/name"));
        Assert.Contains("database_namespace=database\n", script, StringComparison.Ordinal);
        Assert.Contains("        app.kubernetes.io/name: postgresql\n", script, StringComparison.Ordinal);
        Assert.Contains("      port: 5432\n", script, StringComparison.Ordinal);
    }

    //#endif
    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public async Task Each_environment_values_file_renders_a_release_the_deploy_script_can_drive(string environment)
    {
        // Schema-checked by helm; activeSlot and the slots are the deploy script's, so the file leaves them alone.
        var file = $"deploy/environments/{environment}.values.yaml";
        var values = Yaml.ParseFile(file);
        var objects = await RenderChartAsync("--values", Repository.PathOf(file));

        Assert.Null(values.Get("activeSlot"));
        Assert.Null(values.Get("slots"));
        Assert.Contains(objects, o => o.Text("kind") == "Deployment");
        // Production trusts the identity provider; staging runs on the key the chart generates and keeps.
        var authority = objects.Where(o => o.Text("kind") == "Deployment")
            .SelectMany(d => d.Map("spec").Map("template").Map("spec").Items("containers").First().Items("env"))
            .Where(e => e.Text("name") == "Authentication__Authority").Select(e => e.Text("value")).Distinct().ToList();
        Assert.Equal(environment == "production", authority.Count == 1);
        Assert.Equal(environment == "staging", objects.Any(o => o.Text("kind") == "Secret" && o.Map("metadata").Text("name") == "company-service1-jwt"));
        //#if (postgres)
        // The chart default is the in-memory store.
        Assert.False(string.IsNullOrEmpty(values.Get("database")?.Text("existingSecret")), $"{file} runs the in-memory store");
        //#endif
    }

    // The e2e helpers themselves (scripts/e2e/lib.sh), with the real helm and the Istio switch from the environment.
    private static Task<List<YamlMappingNode>> RenderE2eAsync(bool istio, params string[] settings) =>
        RenderAsync("env", [$"HELM={Helm.Value}", $"E2E_ISTIO={(istio ? "true" : "false")}", "bash", "-c", "source scripts/e2e/lib.sh && e2e_helm_template \"$@\"", "render", .. settings]);

    private static Task<List<YamlMappingNode>> RenderChartAsync(params string[] arguments) =>
        RenderAsync(Helm.Value, ["template", "company-service1", Repository.PathOf("charts/company-service1"), .. arguments]);

    private static async Task<List<YamlMappingNode>> RenderAsync(string file, string[] arguments)
    {
        var output = await ProcessRunner.RunCheckedAsync(file, arguments, TimeSpan.FromMinutes(2), Repository.Root);
        var stream = new YamlStream();
        using var reader = new StringReader(output);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    private static YamlMappingNode Find(List<YamlMappingNode> objects, string kind, string name) =>
        objects.SingleOrDefault(o => o.Text("kind") == kind && o.Map("metadata").Text("name") == name)
        ?? throw new KeyNotFoundException($"{kind}/{name} is not rendered");

    // The data of the ConfigMap a slot's Deployment reads its environment from.
    private static YamlMappingNode ConfigOf(List<YamlMappingNode> objects, string deployment)
    {
        var container = Find(objects, "Deployment", deployment).Map("spec").Map("template").Map("spec").Items("containers").First();
        var name = container.Items("envFrom").Select(e => e.Get("configMapRef")?.Text("name")).First(n => n is not null)!;
        return Find(objects, "ConfigMap", name).Map("data");
    }

    private static string ContainerImage(YamlMappingNode deployment) =>
        deployment.Map("spec").Map("template").Map("spec").Items("containers").First().Text("image")!;
}
