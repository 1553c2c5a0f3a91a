using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Company.Service1.Tests.Todos;

/// <summary>
/// Tokens and signing keys never reach the logs, the spans or a problem body. The published binary runs with every
/// log category at Trace, log records and spans exported over OTLP to a loopback receiver, and a shared-secret
/// (HS256) key; after requests with a valid, a forged and an under-scoped token, every stdout line and every
/// exported byte is searched for the tokens and the secret.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class TokenSecrecyTests : IDisposable
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();
    private readonly LoopbackHttpServer _collector;

    public TokenSecrecyTests() => _collector = new LoopbackHttpServer("/", ReceiveAsync);

    [Fact]
    public async Task Neither_the_token_nor_the_signing_key_appears_in_logs_spans_or_problem_bodies()
    {
        var (secret, jwk) = TokenIssuer.SharedSecret("shared-1");
        using var issuer = new TokenIssuer();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Authentication__Disabled"] = null,
            ["Authentication__Issuer"] = TokenIssuer.Issuer,
            ["Authentication__Audience"] = TokenIssuer.Audience,
            ["Authentication__SigningKeys"] = TokenIssuer.Document(jwk),
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Url.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["Telemetry__ExportLogs"] = "true",
        });
        await service.WaitUntilReadyAsync();
        var valid = issuer.Token(scope: TodosEndpoints.ReadScope, signingKey: secret);
        var forged = issuer.Token(scope: TodosEndpoints.ReadScope, signingKey: new SymmetricSecurityKey(new byte[32]) { KeyId = "shared-1" });
        var underScoped = issuer.Token(scope: "todos:none", signingKey: secret);
        var expired = issuer.Token(signingKey: secret, shape: d => (d.IssuedAt, d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1)));

        var traceIds = new List<byte[]>();
        var bodies = new StringBuilder();
        foreach (var (token, status) in new[] { (valid, 200), (forged, 401), (underScoped, 403), (expired, 401) })
        {
            var traceId = ActivityTraceId.CreateRandom();
            var bytes = new byte[16];
            traceId.CopyTo(bytes);
            traceIds.Add(bytes);
            using var request = new HttpRequestMessage(HttpMethod.Get, TodosEndpoints.BasePath);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await service.Client.SendAsync(request);
            Assert.Equal(status, (int)response.StatusCode);
            bodies.Append(await response.Content.ReadAsStringAsync()).Append(response.Headers.WwwAuthenticate);
        }

        await WaitUntilAsync(() => traceIds.All(id => Carries("/v1/traces", id) && Carries("/v1/logs", id)), TimeSpan.FromSeconds(30), service);

        var logs = string.Join('\n', service.StandardOutput.Concat(service.StandardError));
        Assert.Contains("Bearer", logs, StringComparison.Ordinal); // the handler did log at Trace: there was something to search
        string[] secrets = [valid, forged, underScoped, expired, Signature(valid), Signature(underScoped), jwk["k"]!.GetValue<string>(), Convert.ToBase64String(secret.Key)];
        foreach (var (value, index) in secrets.Select((s, i) => (s, i)))
        {
            Assert.False(logs.Contains(value, StringComparison.Ordinal), $"secret #{index} appears in the service's output");
            Assert.False(bodies.ToString().Contains(value, StringComparison.Ordinal), $"secret #{index} appears in a response");
            var utf8 = Encoding.UTF8.GetBytes(value);
            Assert.False(_exports.Any(e => e.Body.AsSpan().IndexOf(utf8) >= 0), $"secret #{index} appears in an OTLP export");
        }
    }

    public void Dispose() => _collector.Dispose();

    private static string Signature(string token) => token[(token.LastIndexOf('.') + 1)..];

    private bool Carries(string path, byte[] traceId) => _exports.Any(e => e.Path == path && e.Body.AsSpan().IndexOf(traceId) >= 0);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, ServiceProcess service)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"the spans and log records of every request were not exported within {timeout}.\n{service.Describe()}");
            await Task.Delay(100);
        }
    }

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        _exports.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.Close();
    }
}
