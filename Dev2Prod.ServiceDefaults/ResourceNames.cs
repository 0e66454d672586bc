namespace Dev2Prod;

/// <summary>
/// Names of the AppHost's resources. The same names are the connection-string keys the services read
/// (<c>ConnectionStrings__botdb</c>, <c>ConnectionStrings__redis</c>), so this one class, shared by the
/// AppHost, the services and the tests, replaces repeated string literals.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "botdb";
    public const string Redis = "redis";
    public const string Api = "api";
    public const string Worker = "worker";
    public const string Admin = "admin";
}
