using System.Globalization;
using System.Security.Cryptography;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// The real service, started with exactly the environment a rendered pod gets (ConfigMap plus the container's own
/// variables), accepts it: a wrong name or value would stop it with exit code 2. Then it drains on SIGTERM within
/// the pod's grace period. Only the ports (chosen free here), the database Secret (no database: in-memory store) and the OTLP
/// endpoint (nothing outside the loopback) are left out; the signing keys' Secret is stood in for by a fresh key.
/// </summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class RenderedConfigurationTests(RenderedSets rendered)
{
    private static readonly string[] NotReproducedHere = ["ASPNETCORE_HTTP_PORTS", "Management__Port", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    [Theory]
    [InlineData("production")]
    [InlineData(RenderedSets.PlainManifests)]
    public async Task The_service_runs_with_the_rendered_configuration_and_drains_within_the_grace_period(string set)
    {
        var pod = rendered[set].Servers().Single(p => p.Owner.Name == "company-service1-green");
        var container = pod.Spec.Objects("containers").Single();
        var configMap = container.Objects("envFrom").Single().Text("configMapRef.name");
        var environment = rendered[set].Named("ConfigMap", configMap!).Body.At("data")!.AsObject()
            .ToDictionary(e => e.Key, e => (string?)e.Value!.ToString());
        foreach (var variable in container.Objects("env").Where(e => e["value"] is not null))
        {
            environment[variable.Text("name")!] = variable.Text("value");
        }

        // The signing keys the Secret would hold (k8s/ expects the user's Secret): a JWKS with one fresh HS256 key.
        if (container.Objects("env").Any(e => e.Text("name") == "Authentication__SigningKeys" && e.Text("valueFrom.secretKeyRef.name") is not null))
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            environment["Authentication__SigningKeys"] = $$"""{"keys":[{"kty":"oct","alg":"HS256","kid":"test","k":"{{key}}"}]}""";
        }

        foreach (var name in NotReproducedHere)
        {
            environment.Remove(name);
        }

        await using var service = await ServiceProcess.StartAsync(environment);
        await service.WaitForStatusAsync("/livez", 200, TimeSpan.FromSeconds(30));
        var version = await service.Client.GetStringAsync(new Uri("/version", UriKind.Relative));
        Assert.Contains("\"slot\":\"green\"", version, StringComparison.Ordinal);

        service.Signal(ServiceProcess.SigTerm);
        var grace = int.Parse(pod.Spec.Text("terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(grace)));
    }
}
