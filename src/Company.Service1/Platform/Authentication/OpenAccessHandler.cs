using Microsoft.AspNetCore.Authorization;

namespace Company.Service1.Platform.Authentication;

/// <summary>While authentication is off, every requirement passes: the API is open, as the startup warning says.</summary>
internal sealed class OpenAccessHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
