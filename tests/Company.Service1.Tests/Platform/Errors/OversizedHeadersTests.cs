using System.Net;

namespace Company.Service1.Tests.Platform.Errors;

/// <summary>
/// Kestrel answers headers over its 32 KiB limit itself, before any middleware runs, so the service has no
/// problem type of its own for 431: the answer carries the status and no body.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class OversizedHeadersTests
{
    [Fact]
    public async Task Headers_over_32_KiB_are_431_from_Kestrel_without_a_problem_body_and_the_service_stays_ready()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('a', 40 * 1024));

        using var response = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await service.WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(10));
    }
}
