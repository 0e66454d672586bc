using Dev2Prod.AppHost.BackingServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.AppHost;

/// <summary>
/// The AppHost's parameters. A value comes from configuration (<c>Parameters:{name}</c>: user secrets,
/// environment variables <c>Parameters__{name}</c>, command line); optional ones default to empty (the feature
/// is then off), generated ones are created once per machine and kept in the git-ignored data folder.
/// When publishing, nothing is generated: the manifest lists every parameter as an input.
/// </summary>
internal sealed class DevelopmentParameters(IDistributedApplicationBuilder builder)
{
    private readonly DevelopmentSecrets? _secrets = builder.ExecutionContext.IsPublishMode
        ? null
        : new DevelopmentSecrets(Path.Combine(
            LocalDataDirectory.Resolve(builder.Configuration[LocalDataDirectory.ConfigKey],
                Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")), mustBeReachableByOthers: false).Root,
            "secrets"));

    public IResourceBuilder<ParameterResource> Optional(string name, bool secret = true) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(name, secret)
            : builder.AddParameter(name, builder.Configuration[$"Parameters:{name}"] ?? "", secret: secret);

    public IResourceBuilder<ParameterResource> Generated(string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(name, secret: true)
            : builder.AddParameter(name, ConfiguredOrGenerated(name), secret: true);

    /// <summary>Prints where to log in, once the app has started, so a newcomer does not have to hunt for it.</summary>
    public void AnnounceOnStart(IResourceBuilder<ProjectResource> admin, IResourceBuilder<ParameterResource> adminPassword)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dev2Prod.AppHost");
            var password = await adminPassword.Resource.GetValueAsync(cancellationToken);
            var url = admin.GetEndpoint("http").Url;
            logger.LogInformation("Admin dashboard: {Url} - sign in as 'admin' with password '{Password}' " +
                                  "(Parameters:admin-initial-password; kept in the data folder's secrets/ between runs)", url, password);
        });
    }

    private string ConfiguredOrGenerated(string name) =>
        builder.Configuration[$"Parameters:{name}"] is { Length: > 0 } configured ? configured : _secrets!.GetOrCreate(name);
}
