using System.Globalization;
using System.Security.Claims;
using Dev2Prod.Core.Security;

namespace Dev2Prod.Admin.Auth;

/// <summary>The signed-in dashboard user as the pages need it: who (for the audit log) and which role (for actions).</summary>
public sealed record CurrentUser(int Id, string UserName, Role Role)
{
    public static CurrentUser? From(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true
        && int.TryParse(principal.FindFirstValue(DashboardSignIn.UserIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && Enum.TryParse<Role>(principal.FindFirstValue(Policies.RoleClaim), out var role)
            ? new CurrentUser(id, principal.Identity.Name ?? "", role)
            : null;

    public bool Allows(Role required) => Role.Allows(required);
}
