using System.Net;
using System.Security.Claims;
using Company.Service1.Platform.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Service1.Tests.Platform.RateLimiting;

/// <summary>
/// Many clients through one in-process test server: a first middleware sets the connection's address and the
/// signed-in subject from test-only headers, as Kestrel and the authentication middleware would. A subject set this
/// way survives JwtBearer, which replaces the user only for a request that carries a token.
/// </summary>
public static class Clients
{
    private const string AddressHeader = "X-Test-Client-Address";
    private const string SubjectHeader = "X-Test-Client-Subject";

    public static WebApplicationFactory<Program> WithClients(this ServiceFactory factory) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, IdentityFromHeaders>()));

    public static Task<HttpResponseMessage[]> SendAsync(this HttpClient client, int count, string path, string address, string? subject = null) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => client.SendAsync(Request(path, address, subject))));

    public static HttpRequestMessage Request(string path, string address, string? subject = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(AddressHeader, address);
        if (subject is not null)
        {
            request.Headers.Add(SubjectHeader, subject);
        }

        return request;
    }

    /// <summary>
    /// Two identities that do not share a per-client bucket. Buckets are slots of a hash seeded at random per process,
    /// so any two given identities share one about once in a thousand runs; this picks a second that does not.
    /// </summary>
    public static string DistinctFrom(string first, Func<int, string> candidate, Func<string, int> slot) =>
        Enumerable.Range(1, 100).Select(candidate).First(second => slot(second) != slot(first));

    public static int Slot(string address, string? subject = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (subject is not null)
        {
            context.User = SignedIn(subject);
        }

        return ClientPartition.Slot(context);
    }

    public static ClaimsPrincipal SignedIn(string subject) => new(new ClaimsIdentity([new Claim("sub", subject)], "Bearer"));

    private sealed class IdentityFromHeaders : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers[AddressHeader] is [{ } address])
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                }

                if (context.Request.Headers[SubjectHeader] is [{ } subject])
                {
                    context.User = SignedIn(subject);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
