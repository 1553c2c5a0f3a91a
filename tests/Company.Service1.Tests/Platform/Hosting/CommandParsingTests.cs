namespace Company.Service1.Tests.Platform.Hosting;

public sealed class CommandParsingTests
{
    [Theory]
    [InlineData(new string[0], ServiceCommandKind.Serve, 0)]
    //#if (postgres)
    [InlineData(new[] { "migrate" }, ServiceCommandKind.Migrate, 0)]
    //#endif
    [InlineData(new[] { "healthcheck", "http://x/livez" }, ServiceCommandKind.Healthcheck, 1)]
    [InlineData(new[] { "serve", "--urls", "http://*:9000" }, ServiceCommandKind.Serve, 2)]
    [InlineData(new[] { "--urls", "http://*:9000" }, ServiceCommandKind.Serve, 2)]
    public void The_first_word_picks_the_command_and_the_rest_goes_to_the_host(string[] args, ServiceCommandKind kind, int hostArgs)
    {
        var command = ServiceCommand.Parse(args);
        Assert.Equal(kind, command.Kind);
        Assert.Equal(hostArgs, command.HostArgs.Length);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:8080/livez")]
    [InlineData("9000", "http://127.0.0.1:9000/livez")]
    [InlineData("9000;9001", "http://127.0.0.1:9000/livez")]
    [InlineData(" 9000 , 9001", "http://127.0.0.1:9000/livez")]
    [InlineData(",;9000", "http://127.0.0.1:9000/livez")]
    [InlineData("junk", "http://127.0.0.1:8080/livez")]
    [InlineData("", "http://127.0.0.1:8080/livez")]
    [InlineData(" ; , ", "http://127.0.0.1:8080/livez")]
    public void Healthcheck_defaults_to_liveness_on_the_first_configured_port(string? ports, string expected) =>
        Assert.Equal(expected, HealthcheckCommand.DefaultUrl(ports));
}
