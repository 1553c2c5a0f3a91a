using System.Net;
using System.Text.Json;

namespace Company.Service1.Tests.Infrastructure;

/// <summary>Checks an answer is RFC 9457 problem details with the expected status, type and (optionally) field.</summary>
public static class ProblemAssertions
{
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:problem-type:company-service1:", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        if (type is not null)
        {
            Assert.Equal($"urn:problem-type:company-service1:{type}", problem.GetProperty("type").GetString());
        }

        if (field is not null)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
                $"expected the problem to name field '{field}': {body}");
        }

        return problem;
    }
}
