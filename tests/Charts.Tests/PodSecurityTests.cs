using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>The "restricted" Pod Security profile, for every pod the chart or k8s/ creates.</summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class PodSecurityTests(RenderedSets rendered)
{
    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Linux_pods_run_as_uid_1654_with_nothing_to_escalate(string set)
    {
        var pods = rendered[set].Pods().Where(p => !p.IsWindows).ToList();
        Assert.Equal(set == "windows", pods.Count == 0);
        foreach (var pod in pods)
        {
            Assert.Equal("linux", pod.Spec.At("nodeSelector")?["kubernetes.io/os"]?.ToString());
            Assert.Equal("true", pod.Spec.Text("securityContext.runAsNonRoot"));
            // OpenShift assigns the uid itself (cases/openshift.yaml); everywhere else the image's own user.
            Assert.Equal(set == "openshift" ? null : "1654", pod.Spec.Text("securityContext.runAsUser"));
            Assert.Equal("RuntimeDefault", pod.Spec.Text("securityContext.seccompProfile.type"));
            foreach (var container in pod.AllContainers)
            {
                var context = container["securityContext"];
                Assert.True(context.Text("runAsNonRoot") == "true", $"{pod}: runAsNonRoot");
                Assert.True(context.Text("readOnlyRootFilesystem") == "true", $"{pod}: readOnlyRootFilesystem");
                Assert.True(context.Text("allowPrivilegeEscalation") == "false", $"{pod}: allowPrivilegeEscalation");
                Assert.Equal(["ALL"], context.At("capabilities.drop")!.AsArray().Select(c => c!.ToString()));
                Assert.Equal("RuntimeDefault", context.Text("seccompProfile.type"));
            }
        }
    }

    [Fact]
    public void On_OpenShift_no_pod_fixes_a_uid_gid_or_fsGroup_for_restricted_v2_to_refuse()
    {
        var pods = rendered["openshift"].Pods().ToList();

        //#if (postgres)
        Assert.Contains(pods, p => p.Owner.Kind == "Job");
        //#endif
        foreach (var pod in pods)
        {
            Assert.All(["runAsUser", "runAsGroup", "fsGroup"], key => Assert.Null(pod.Spec.At("securityContext." + key)));
            Assert.All(pod.AllContainers, c => Assert.All(["runAsUser", "runAsGroup"], key => Assert.Null(c.At("securityContext." + key))));
        }
    }

    [Fact]
    public void A_security_context_value_is_laid_over_the_hardened_defaults()
    {
        var manifests = Renderer.Render(["--set", "containerSecurityContext.runAsUser=2000", "--set", "podSecurityContext.fsGroupChangePolicy=OnRootMismatch"]);

        foreach (var server in manifests.Servers())
        {
            Assert.Equal("OnRootMismatch", server.Spec.Text("securityContext.fsGroupChangePolicy"));
            Assert.Equal("1654", server.Spec.Text("securityContext.fsGroup"));
            var context = server.Spec.Objects("containers").Single()["securityContext"];
            Assert.Equal("2000", context.Text("runAsUser"));
            Assert.Equal(["ALL"], context.At("capabilities.drop")!.AsArray().Select(c => c!.ToString()));
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Read_only_pods_that_need_tmp_get_an_emptyDir(string set)
    {
        foreach (var pod in rendered[set].Pods().Where(p => !p.IsWindows && p.Owner.Kind != "Pod"))
        {
            var tmp = Assert.Single(pod.Spec.Objects("volumes"), v => v.Text("name") == "tmp");
            Assert.NotNull(tmp["emptyDir"]);
            Assert.All(pod.Spec.Objects("containers"), c =>
                Assert.Contains(c.Objects("volumeMounts"), m => m.Text("name") == "tmp" && m.Text("mountPath") == "/tmp"));
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Every_pod_uses_an_own_service_account_without_an_API_token(string set)
    {
        var accounts = rendered[set].OfKind("ServiceAccount").Select(a => a.Name).ToHashSet();
        foreach (var pod in rendered[set].Pods())
        {
            var account = pod.Spec.Text("serviceAccountName");
            Assert.False(account is null or "default", $"{pod} runs as the default ServiceAccount");
            Assert.Contains(account, accounts);
            Assert.Equal("false", pod.Spec.Text("automountServiceAccountToken"));
        }

        Assert.All(rendered[set].OfKind("ServiceAccount"), a => Assert.Equal("false", a.Body.Text("automountServiceAccountToken")));
    }

    //#if (windows)
    [Fact]
    public void Windows_pods_run_as_ContainerUser_on_Windows_nodes_without_Linux_only_fields()
    {
        var pods = rendered["windows"].Pods().ToList();
        Assert.NotEmpty(pods);
        foreach (var pod in pods)
        {
            Assert.True(pod.IsWindows, $"{pod} is not a Windows pod");
            Assert.Equal("windows", pod.Spec.At("nodeSelector")!["kubernetes.io/os"]!.ToString());
            Assert.Equal("ContainerUser", pod.Spec.Text("securityContext.windowsOptions.runAsUserName"));
            Assert.Null(pod.Spec.At("securityContext.runAsUser"));
            Assert.Null(pod.Spec.At("securityContext.seccompProfile"));
            foreach (var container in pod.AllContainers)
            {
                Assert.StartsWith("ghcr.io/example/company-service1-windows:", container.Text("image"), StringComparison.Ordinal);
                Assert.Equal("ContainerUser", container.Text("securityContext.windowsOptions.runAsUserName"));
                Assert.Null(container.At("securityContext.readOnlyRootFilesystem"));
                Assert.Null(container.At("securityContext.capabilities"));
            }
        }
    }

    //#endif
}
