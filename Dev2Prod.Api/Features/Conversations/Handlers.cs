using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>Handles slash commands in private chats (<c>/start</c>, <c>/help</c>, ...).</summary>
public interface ICommandHandler
{
    /// <summary>Command names without the slash, lower case.</summary>
    IReadOnlyCollection<string> Commands { get; }

    Task HandleAsync(TurnContext turn, string command, string arguments);
}

/// <summary>Handles inline-button presses whose callback data starts with <c>{Prefix}:</c>.</summary>
public interface ICallbackHandler
{
    string Prefix { get; }

    Task HandleAsync(TurnContext turn, string payload);
}

/// <summary>
/// Handles free text in private chats. Handlers are asked in <see cref="Order"/> (active flows first, the
/// classifier last); the first that returns true owns the message.
/// </summary>
public interface ITextHandler
{
    int Order { get; }

    Task<bool> TryHandleAsync(TurnContext turn, string text);
}

/// <summary>Handles non-text messages in private chats (documents, photos, contacts, ...).</summary>
public interface IMediaHandler
{
    int Order { get; }

    Task<bool> TryHandleAsync(TurnContext turn, global::Telegram.Bot.Types.Message message);
}

/// <summary>Handles messages in groups (the agents' group).</summary>
public interface IGroupMessageHandler
{
    Task<bool> TryHandleAsync(TurnContext turn, global::Telegram.Bot.Types.Message message);
}

/// <summary>
/// Handles a conversational intent the classifier recognised (<c>intake.start</c>, <c>handoff.request</c>):
/// the feature that owns the intent registers one, so the FAQ feature routes to it without knowing it.
/// </summary>
public interface IIntentHandler
{
    string Intent { get; }

    Task HandleAsync(TurnContext turn, string text);
}

/// <summary>A button of the main menu that <c>/start</c> and <c>/help</c> show; each feature adds its own.</summary>
public sealed record MainMenuEntry(int Order, string Text, string CallbackData);

/// <summary>Registration helpers: adding a feature's handler touches no switch elsewhere.</summary>
public static class HandlerRegistration
{
    public static IServiceCollection AddCommandHandler<T>(this IServiceCollection services) where T : class, ICommandHandler
        => services.AddScoped<ICommandHandler, T>();

    public static IServiceCollection AddCallbackHandler<T>(this IServiceCollection services) where T : class, ICallbackHandler
        => services.AddScoped<ICallbackHandler, T>();

    public static IServiceCollection AddTextHandler<T>(this IServiceCollection services) where T : class, ITextHandler
        => services.AddScoped<ITextHandler, T>();

    public static IServiceCollection AddMediaHandler<T>(this IServiceCollection services) where T : class, IMediaHandler
        => services.AddScoped<IMediaHandler, T>();

    public static IServiceCollection AddGroupMessageHandler<T>(this IServiceCollection services) where T : class, IGroupMessageHandler
        => services.AddScoped<IGroupMessageHandler, T>();

    public static IServiceCollection AddIntentHandler<T>(this IServiceCollection services) where T : class, IIntentHandler
        => services.AddScoped<IIntentHandler, T>();

    public static IServiceCollection AddMainMenuEntry(this IServiceCollection services, MainMenuEntry entry)
        => services.AddSingleton(entry);

    /// <summary>The main menu as inline keyboard rows, one button per row.</summary>
    public static IReadOnlyList<IReadOnlyList<OutboundButton>> MainMenuKeyboard(this IEnumerable<MainMenuEntry> entries) =>
        entries.OrderBy(e => e.Order).Select(e => (IReadOnlyList<OutboundButton>)[OutboundButton.Callback(e.Text, e.CallbackData)]).ToList();
}
