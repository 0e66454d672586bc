namespace Dev2Prod;

/// <summary>
/// Names of the AppHost's resources. The same names are the connection-string keys the services read
/// (<c>ConnectionStrings__botdb</c>, <c>ConnectionStrings__redis</c>), so this one file is linked into the
/// AppHost, the services and the tests instead of repeating string literals.
/// </summary>
internal static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "botdb";
    public const string Redis = "redis";
    public const string Api = "api";
    public const string Worker = "worker";
    public const string Admin = "admin";
}
