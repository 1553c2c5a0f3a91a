using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Company.Service1.Platform.Authentication;

/// <summary>
/// The OpenAPI document declares the bearer scheme and, on each operation with a policy, the scopes that policy
/// requires and the 401 and 403 it can answer, so generated clients send the token and a reader sees which scope an
/// operation needs.
/// </summary>
internal static class BearerApiDocument
{
    public const string SchemeName = "Bearer";

    public static void Describe(OpenApiOptions options) =>
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().ToList();
            if (policies.Count == 0 || context.Document is not { } document)
            {
                return;
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes.TryAdd(SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the configured issuer, with the scopes each operation lists.",
            });

            var provider = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
            var scopes = new List<string>();
            foreach (var data in policies)
            {
                var policy = data.Policy is null ? await provider.GetDefaultPolicyAsync() : await provider.GetPolicyAsync(data.Policy);
                scopes.AddRange(policy?.Requirements.OfType<ScopeRequirement>().Select(r => r.Scope) ?? []);
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [.. scopes.Distinct()] });
            await ProblemsApiDocument.AddAsync(operation, context, [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden], cancellationToken);
        });
}
