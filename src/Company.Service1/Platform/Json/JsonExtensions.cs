using Company.Service1.Platform.Configuration;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Json;

public static class JsonExtensions
{
    public static WebApplicationBuilder AddServiceJson(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Default));
        builder.Services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>()
            .Configure<IOptions<RequestLimitsOptions>>((json, limits) => json.SerializerOptions.MaxDepth = limits.Value.MaxJsonDepth);
        return builder;
    }
}
