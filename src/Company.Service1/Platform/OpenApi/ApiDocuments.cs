namespace Company.Service1.Platform.OpenApi;

public static class ApiDocuments
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The OpenAPI 3.1 description of the public API, generated at run time from the endpoints themselves.</summary>
    public static WebApplicationBuilder AddApiDocuments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Company.Service1 API";
            document.Info.Description = "The sample todos resource. Errors are RFC 9457 problem details with a stable type.";
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
