namespace Company.Service1.Tests.Todos.BadInput;

/// <summary>The bad-input battery against the published binary over real HTTP: Kestrel's own limits included.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class PublishedBinaryBadInputTests(PublishedBinaryBadInputTests.Host host) : IClassFixture<PublishedBinaryBadInputTests.Host>
{
    [Fact]
    public void The_battery_has_at_least_forty_cases() => Assert.True(BadInputCases.All.Count >= 40);

    [Theory]
    [MemberData(nameof(BadInputCases.OnTheWire), MemberType = typeof(BadInputCases))]
    public Task Is_refused_with_a_problem_and_changes_nothing(BadInputCase badInput) =>
        BadInputAssertions.AssertRejectedAsync(host.Service.Client, badInput, host.ExistingId);

    [Fact]
    public void The_process_survived_the_battery_without_logging_a_server_error()
    {
        Assert.False(host.Service.HasExited);
        Assert.DoesNotContain(host.Service.StandardOutput, line => line.Contains("\"log.level\":\"error\"", StringComparison.Ordinal));
    }

    public sealed class Host : IAsyncLifetime
    {
        public ServiceProcess Service { get; private set; } = null!;

        public string ExistingId { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
                ["Database__MigrateOnStartup"] = "true",
                ["RateLimit__PermitsPerSecond"] = "0",
                ["RateLimit__PermitsPerClientPerSecond"] = "0",
            });
            await Service.WaitUntilReadyAsync();
            ExistingId = await BadInputAssertions.SeedAsync(Service.Client);
        }

        public async Task DisposeAsync() => await Service.DisposeAsync();
    }
}
