using Dev2Prod.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Files;

public static class FilesRegistration
{
    /// <summary>Development default for <c>Files:Root</c>, relative to the content root.</summary>
    public const string DevelopmentRoot = "App_Data/files";

    /// <summary>
    /// The attachment store and <c>Files:*</c> options. <c>Files:Root</c> is required outside Development (start-up
    /// fails naming it); in Development it defaults to <see cref="DevelopmentRoot"/> under the content root.
    /// </summary>
    public static IHostApplicationBuilder AddAttachmentStore(this IHostApplicationBuilder builder)
    {
        var rootKey = $"{FilesOptions.Section}:{nameof(FilesOptions.Root)}";
        if (!builder.Environment.IsDevelopment())
        {
            RequiredSettings.EnsurePresent(builder.Configuration, rootKey);
        }

        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddOptions<FilesOptions>()
            .BindConfiguration(FilesOptions.Section)
            .PostConfigure(o => o.Root = Path.GetFullPath(string.IsNullOrWhiteSpace(o.Root) ? DevelopmentRoot : o.Root, contentRoot))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IAttachmentStore, LocalFileAttachmentStore>();
        return builder;
    }
}
