namespace Company.Service1.Tests.Todos.BadInput;

/// <summary>The bad-input battery against the in-process host (PostgreSQL-backed); see PublishedBinaryBadInputTests for the wire.</summary>
public sealed class InProcessBadInputTests(InProcessBadInputTests.Host host) : IClassFixture<InProcessBadInputTests.Host>
{
    [Theory]
    [MemberData(nameof(BadInputCases.InProcess), MemberType = typeof(BadInputCases))]
    public Task Is_refused_with_a_problem_and_changes_nothing(BadInputCase badInput) =>
        BadInputAssertions.AssertRejectedAsync(host.Client, badInput, host.ExistingId);

    public sealed class Host : IAsyncLifetime
    {
        private ServiceFactory _factory = null!;

        public HttpClient Client { get; private set; } = null!;

        public string ExistingId { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _factory = await ServiceFactory.WithNewDatabaseAsync();
            Client = _factory.CreateClient();
            ExistingId = await BadInputAssertions.SeedAsync(Client);
        }

        public async Task DisposeAsync() => await _factory.DisposeAsync();
    }
}
