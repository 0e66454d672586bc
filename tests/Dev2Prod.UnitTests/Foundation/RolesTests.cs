using Dev2Prod.Core.Security;

namespace Dev2Prod.UnitTests.Foundation;

public sealed class RolesTests
{
    [Theory]
    [InlineData(Role.Viewer, Role.Viewer, true)]
    [InlineData(Role.Viewer, Role.Agent, false)]
    [InlineData(Role.Agent, Role.Viewer, true)]
    [InlineData(Role.Agent, Role.Supervisor, false)]
    [InlineData(Role.Supervisor, Role.Agent, true)]
    [InlineData(Role.Supervisor, Role.Admin, false)]
    [InlineData(Role.Admin, Role.Supervisor, true)]
    [InlineData(Role.Admin, Role.Admin, true)]
    public void EachRoleIncludesTheOnesBelowIt(Role actual, Role required, bool allowed) =>
        Assert.Equal(allowed, actual.Allows(required));
}
