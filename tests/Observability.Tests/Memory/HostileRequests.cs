using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Observability.Tests.Memory;

/// <summary>The parts of a request a client controls, each one a way to make the service remember something.</summary>
public enum HostileVector
{
    Method,
    Path,
    Query,
    Headers,
    TraceContext,
    JsonProperties,
}

/// <summary>
/// Builds the <paramref name="n"/>th hostile request of a vector: every value is new (its number is in it), and the
/// long ones stay inside Kestrel's own limits (8 KiB request line, 32 KiB of headers), so they reach the app.
/// </summary>
public static class HostileRequests
{
    private static readonly string Letters = new('Q', 4000);

    public static HttpRequestMessage Create(HostileVector vector, int n)
    {
        var id = n.ToString("D7", CultureInfo.InvariantCulture);
        return vector switch
        {
            // Kestrel accepts any token as a method; the non-ASCII path makes its completion line need JSON escaping,
            // which is the line's slower path through a Serilog event.
            HostileVector.Method => new HttpRequestMessage(new HttpMethod("M" + id + Letters[..(3000 + (n % 1000))]), "/caf%C3%A9"),
            HostileVector.Path => new HttpRequestMessage(HttpMethod.Get,
                $"/p/{id}/%C3%A9%E2%82%AC%E6%97%A5/{id}%2F%25%20%22%5C%3C/{Letters[..(n % 2000)]}"),
            HostileVector.Query => new HttpRequestMessage(HttpMethod.Get, "/version?" + Query(id, n)),
            HostileVector.Headers => Headers(id, n),
            HostileVector.TraceContext => TraceContext(id, n),
            HostileVector.JsonProperties => JsonProperties(id, n),
            _ => throw new ArgumentOutOfRangeException(nameof(vector)),
        };
    }

    private static string Query(string id, int n)
    {
        var query = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            query.Append(CultureInfo.InvariantCulture, $"q{id}x{i}=%C3%A9{id}%26{Letters[..(n % 200)]}&");
        }

        return query.ToString();
    }

    private static HttpRequestMessage Headers(string id, int n)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/version")
        {
            Content = new ByteArrayContent([]),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", $"agent/{id} ({Letters[..(n % 2000)]})");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/x-{id}; charset=utf-{id}; boundary={Letters[..(n % 500)]}");
        for (var i = 0; i < 10; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Hostile-{id}-{i}", $"{id}-{i}-{Letters[..(n % 300)]}");
        }

        return request;
    }

    private static HttpRequestMessage TraceContext(string id, int n)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        // Sampled, so the service records the span and, with OTLP on, exports its tracestate.
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01");
        request.Headers.TryAddWithoutValidation("tracestate", string.Join(',', Enumerable.Range(0, 32).Select(i => $"k{id}x{i}=v{n % 1000}")));
        request.Headers.TryAddWithoutValidation("baggage", string.Join(',', Enumerable.Range(0, 64).Select(i => $"b{id}x{i}=%C3%A9{Letters[..(n % 40)]}")));
        return request;
    }

    private static HttpRequestMessage JsonProperties(string id, int n)
    {
        var body = new StringBuilder("{");
        for (var i = 0; i < 50; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"\"p{id}x{i}{Letters[..(n % 100)]}\":{i},");
        }

        body.Append("\"title\":\"soak\"}");
        // Without the sample no endpoint reads a body, and the platform's /version refuses the POST.
        var path = "/version";
        //#if (sample)
        // The sample's create endpoint reads the body and refuses the unknown properties with 400.
        path = "/api/v1/todos";
        //#endif
        return new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
    }
}
