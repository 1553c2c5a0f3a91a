using System.Net;

namespace Company.Service1.Tests.Platform.Hosting;

/// <summary>
/// The `healthcheck` command's answers, in-process against a stand-in server: the exit code Docker's HEALTHCHECK
/// acts on and the one line it shows. CommandTests runs the same command in the published binary.
/// </summary>
public sealed class HealthcheckCommandTests : IDisposable
{
    private readonly LoopbackHttpServer _server;
    private HttpStatusCode _status = HttpStatusCode.OK;

    public HealthcheckCommandTests() => _server = new LoopbackHttpServer("/", context =>
    {
        context.Response.StatusCode = (int)_status;
        context.Response.Close();
        return Task.CompletedTask;
    });

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(HttpStatusCode.OK, 0)]
    [InlineData(HttpStatusCode.NoContent, 0)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 1)]
    [InlineData(HttpStatusCode.NotFound, 1)]
    public async Task Exits_0_only_for_a_2xx_answer_and_says_what_the_instance_answered(HttpStatusCode status, int exitCode)
    {
        _status = status;
        var url = new Uri(_server.Url, "livez");
        using var output = new StringWriter();

        Assert.Equal(exitCode, await HealthcheckCommand.RunAsync([url.ToString()], output));
        Assert.Equal($"healthcheck: {url} answered {(int)status}", output.ToString().Trim());
    }

    [Fact]
    public async Task Exits_1_naming_the_failure_when_nothing_listens()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/livez";
        using var output = new StringWriter();

        Assert.Equal(1, await HealthcheckCommand.RunAsync([url], output));
        Assert.Equal($"healthcheck: {url} unreachable (HttpRequestException)", output.ToString().Trim());
    }

    [Fact]
    public async Task An_instance_that_accepts_and_never_answers_fails_the_check_within_its_3_s_timeout()
    {
        // Docker's HEALTHCHECK gives the command its own timeout; a probe that hung for the HTTP client's default 100 s
        // would report nothing while the service is stuck.
        using var silent = new SilentEndpoint();
        using var output = new StringWriter();

        var exitCode = await HealthcheckCommand.RunAsync([silent.Url], output).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("unreachable", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_url_it_probes_liveness_on_the_configured_port()
    {
        using var output = new StringWriter();

        var exitCode = await HealthcheckCommand.RunAsync([], output);

        Assert.InRange(exitCode, 0, 1);
        Assert.StartsWith(
            $"healthcheck: {HealthcheckCommand.DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"))} ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_url_is_probed_too()
    {
        var url = $"https://127.0.0.1:{FreePort.Next()}/livez";
        using var output = new StringWriter();

        Assert.Equal(1, await HealthcheckCommand.RunAsync([url], output));
        Assert.StartsWith($"healthcheck: {url} unreachable", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/livez")]
    [InlineData("file:///etc/passwd")]
    public async Task Exits_2_for_anything_but_an_http_or_https_url(string target)
    {
        using var output = new StringWriter();

        Assert.Equal(2, await HealthcheckCommand.RunAsync([target], output));
        Assert.Equal($"healthcheck: '{target}' is not an http(s) URL", output.ToString().Trim());
    }
}
