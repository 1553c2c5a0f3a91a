using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Company.Service1.Platform.OpenApi;

public static class OpenApiEndpoints
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The OpenAPI 3.1 description of the public API, generated at run time from the endpoints themselves.</summary>
    public static WebApplicationBuilder AddApiDocuments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Company.Service1 API";
            document.Info.Description = "Errors are RFC 9457 problem details with a stable type.";
            return Task.CompletedTask;
        }));
        builder.Services.Configure<OpenApiOptions>(DocumentName, ProblemsApiDocument.Describe);
        return builder;
    }

    /// <summary>
    /// Shows <paramref name="example"/>, serialized as the API sends it, as the example of <typeparamref name="T"/>'s
    /// schema: a feature's own bodies, in the feature's own words.
    /// </summary>
    public static WebApplicationBuilder AddApiExample<T>(this WebApplicationBuilder builder, T example, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var node = JsonSerializer.SerializeToNode(example, typeInfo);
        builder.Services.Configure<OpenApiOptions>(DocumentName, options => options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(T))
            {
                schema.Examples = [node!.DeepClone()];
            }

            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>Describes a tag that a feature puts on its endpoints (<c>WithTags</c>), in the feature's own words.</summary>
    public static WebApplicationBuilder AddApiTag(this WebApplicationBuilder builder, string name, string description)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<OpenApiOptions>(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Tags ??= new HashSet<OpenApiTag>();
            var tag = document.Tags.FirstOrDefault(t => t.Name == name);
            if (tag is null)
            {
                document.Tags.Add(new OpenApiTag { Name = name, Description = description });
            }
            else
            {
                tag.Description = description;
            }

            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary><c>GET /openapi/v1.json</c>, so clients can be generated and contracts diffed in CI.</summary>
    public static IEndpointRouteBuilder MapApiDocuments(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi(DocumentPath);
        return routes;
    }
}
