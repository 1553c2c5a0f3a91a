using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Hosting;

public static class RequestLimits
{
    /// <summary>
    /// Body size from configuration; header size, slow-client data rates and timeouts stay at Kestrel's own
    /// well-tested defaults (32 KiB of headers, 240 bytes/s minimum body rate after a 5 s grace).
    /// </summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
        return builder;
    }
}
