using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Json;

public static class JsonExtensions
{
    public static WebApplicationBuilder AddServiceJson(this WebApplicationBuilder builder)
    {
        builder.AddJsonTypes(ServiceJsonContext.Default);
        builder.Services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>()
            .Configure<IOptions<RequestLimitsOptions>>((json, limits) => json.SerializerOptions.MaxDepth = limits.Value.MaxJsonDepth);
        return builder;
    }

    /// <summary>
    /// Lets request and response bodies use the types of a source-generated context (a feature's own), ahead of
    /// the framework's resolvers. Every serialized type must be in one: reflection is off, as under AOT.
    /// </summary>
    public static WebApplicationBuilder AddJsonTypes(this WebApplicationBuilder builder, IJsonTypeInfoResolver types)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, types));
        return builder;
    }
}
