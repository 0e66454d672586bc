using Microsoft.AspNetCore.Authorization;

namespace Dev2Prod.Core.Security;

/// <summary>Authorisation policies named after the least role they need.</summary>
public static class Policies
{
    public const string ViewerOrAbove = nameof(ViewerOrAbove);
    public const string AgentOrAbove = nameof(AgentOrAbove);
    public const string SupervisorOrAbove = nameof(SupervisorOrAbove);
    public const string AdminOnly = nameof(AdminOnly);

    /// <summary>The claim type that carries the role (the cookie stores one role per user).</summary>
    public const string RoleClaim = "dev2prod:role";

    /// <summary>True when <paramref name="actual"/> may do what <paramref name="required"/> may.</summary>
    public static bool Allows(this Role actual, Role required) => actual >= required;

    /// <summary>Registers the four policies; used by every service that authorises people.</summary>
    public static AuthorizationBuilder AddDev2ProdPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(ViewerOrAbove, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRole(c, Role.Viewer)))
        .AddPolicy(AgentOrAbove, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRole(c, Role.Agent)))
        .AddPolicy(SupervisorOrAbove, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRole(c, Role.Supervisor)))
        .AddPolicy(AdminOnly, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRole(c, Role.Admin)));

    private static bool HasRole(AuthorizationHandlerContext context, Role required) =>
        Enum.TryParse<Role>(context.User.FindFirst(RoleClaim)?.Value, out var role) && role.Allows(required);
}
