namespace Dev2Prod.E2ETests.Dashboard;

/// <summary>The dashboard tests change users and roles of the one shared stack, so they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection
{
    public const string Name = "Dashboard";
}
