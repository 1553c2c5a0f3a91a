using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Company.Service1.Platform.Authentication;

/// <summary>
/// The token must grant <see cref="Scope"/>: in a space-separated <c>scope</c> claim (RFC 8693), in <c>scp</c>
/// (Microsoft Entra), or as one of several such claims (a JSON array, as <c>dotnet user-jwts</c> writes it).
/// </summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    public bool IsGrantedTo(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var claim in user.Claims)
        {
            if (claim.Type is "scope" or "scp"
                && claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(Scope, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

public static class ScopePolicies
{
    /// <summary>A policy that admits an authenticated caller whose token grants <paramref name="scope"/>.</summary>
    public static AuthorizationBuilder AddScopePolicy(this AuthorizationBuilder authorization, string name, string scope)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        return authorization.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
    }
}

internal sealed class ScopeHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (requirement.IsGrantedTo(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
