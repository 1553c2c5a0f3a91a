using System.Globalization;
using System.Net;
using System.Text;
using Company.Service1.Platform.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Service1.Tests.Platform.RateLimiting;

public sealed class ApiRateLimitTests
{
    private const string Address = "192.0.2.1";
    private const string InstanceDetail = "from all clients together";
    private const string ClientDetail = "from one client";

    [Fact]
    public async Task Past_the_instance_limit_requests_get_429_with_retry_after_while_probes_are_never_limited()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = "10" });
        var client = factory.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/version")));
        var probes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.GetAsync(i % 2 == 0 ? "/livez" : "/readyz")));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.OK);
        var limited = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await ProblemAssertions.AssertProblemAsync(limited[0], HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains(InstanceDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.All(probes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task The_instance_limit_holds_for_many_clients_each_within_its_own_limit()
    {
        await using var factory = Limits(instance: 10, client: 100);
        var client = factory.WithClients().CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(1, 40).Select(i => client.SendAsync(Clients.Request("/version", $"198.51.100.{i}"))));

        var limited = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await ProblemAssertions.AssertProblemAsync(limited[0], HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains(InstanceDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_over_its_limit_gets_429_naming_the_client_limit_while_another_client_gets_through()
    {
        await using var factory = Limits(instance: 0, client: 5);
        var client = factory.WithClients().CreateClient();
        var other = Clients.DistinctFrom(Address, i => $"192.0.2.{i + 1}", address => Clients.Slot(address));

        var answers = await client.SendAsync(30, "/version", Address);
        using var otherAnswer = await client.SendAsync(Clients.Request("/version", other));

        var limited = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await ProblemAssertions.AssertProblemAsync(limited[0], HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains(ClientDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherAnswer.StatusCode);
    }

    [Fact]
    public async Task Two_subjects_behind_one_address_are_two_clients()
    {
        await using var factory = Limits(instance: 0, client: 5);
        var client = factory.WithClients().CreateClient();
        var bob = Clients.DistinctFrom("alice", i => $"user-{i}", subject => Clients.Slot(Address, subject));

        var alice = await client.SendAsync(30, "/version", Address, "alice");
        using var bobAnswer = await client.SendAsync(Clients.Request("/version", Address, bob));

        Assert.Contains(alice, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, bobAnswer.StatusCode);
    }

    [Fact]
    public async Task One_subject_from_many_addresses_is_one_client()
    {
        await using var factory = Limits(instance: 0, client: 5);
        var client = factory.WithClients().CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(1, 30).Select(i => client.SendAsync(Clients.Request("/version", $"198.51.100.{i}", "alice"))));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Addresses_in_one_IPv6_64_are_one_client()
    {
        await using var factory = Limits(instance: 0, client: 5);
        var client = factory.WithClients().CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(1, 30).Select(i => client.SendAsync(Clients.Request("/version", $"2001:db8:1:2:{i:x}::1"))));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
    }

    /// <summary>A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d, all in one IPv6 /64.</summary>
    [Fact]
    public async Task IPv4_clients_of_a_dual_stack_socket_are_told_apart()
    {
        await using var factory = Limits(instance: 0, client: 5);
        var client = factory.WithClients().CreateClient();
        const string first = "::ffff:192.0.2.1";
        var second = Clients.DistinctFrom(first, i => $"::ffff:192.0.2.{i + 1}", address => Clients.Slot(address));

        var answers = await client.SendAsync(30, "/version", first);
        using var secondAnswer = await client.SendAsync(Clients.Request("/version", second));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, secondAnswer.StatusCode);
    }

    [Fact]
    public async Task A_client_over_its_limit_still_gets_its_probes_answered()
    {
        await using var factory = Limits(instance: 0, client: 2);
        var client = factory.WithClients().CreateClient();

        var answers = await client.SendAsync(40, "/version", Address);
        var probes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SendAsync(Clients.Request(i % 2 == 0 ? "/livez" : "/readyz", Address))));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(probes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(0, false)]
    public async Task One_clients_burst_is_refused_only_while_the_client_limit_is_on(int permits, bool refused)
    {
        await using var factory = Limits(instance: 1000, client: permits);
        var client = factory.WithClients().CreateClient();

        var answers = await client.SendAsync(30, "/version", Address);

        Assert.Equal(refused, answers.Any(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Limits_of_zero_turn_the_limiter_off()
    {
        await using var factory = Limits(instance: 0, client: 0);
        var client = factory.WithClients().CreateClient();

        var answers = await client.SendAsync(200, "/version", Address);

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Rejections_are_counted_by_the_limit_they_hit()
    {
        await using var factory = Limits(instance: 0, client: 2);
        var clients = factory.WithClients();
        var client = clients.CreateClient();

        var answers = await client.SendAsync(40, "/version", Address);

        var refused = answers.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(refused > 0);
        var metrics = await MetricsTextAsync(clients.Services.GetRequiredService<ServiceMetrics>());
        Assert.Contains($"service_rate_limit_rejections_total{{limit=\"client\"}} {refused}\n", metrics, StringComparison.Ordinal);
        Assert.Contains("service_rate_limit_rejections_total{limit=\"instance\"} 0\n", metrics, StringComparison.Ordinal);
    }

    private static ServiceFactory Limits(int instance, int client) => new(new Dictionary<string, string?>
    {
        ["RateLimit:PermitsPerSecond"] = instance.ToString(CultureInfo.InvariantCulture),
        ["RateLimit:PermitsPerClientPerSecond"] = client.ToString(CultureInfo.InvariantCulture),
    });

    private static async Task<string> MetricsTextAsync(ServiceMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
