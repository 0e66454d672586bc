using Dev2Prod.Core.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// The agents' group (<c>Telegram:AgentGroupChatId</c>) and whether it is a forum (topics on: one topic per
/// conversation) or a plain group (one card per conversation, agents reply to it). Asked with getChat at
/// start-up and again after <see cref="RefreshAfter"/>, so turning topics on needs no restart.
/// </summary>
public sealed partial class AgentGroup(IServiceProvider services, IOptionsMonitor<TelegramOptions> telegram, TimeProvider time, ILogger<AgentGroup> logger)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long ChatId, bool IsForum, DateTimeOffset At)? _known;

    public long? ChatId => telegram.CurrentValue.AgentGroupChatId;

    /// <summary>True when the group has topics on. A failed getChat counts as a plain group (a card still reaches it) and is asked again next time.</summary>
    public async Task<bool> IsForumAsync(CancellationToken cancellationToken)
    {
        if (ChatId is not { } chatId || !telegram.CurrentValue.IsEnabled)
        {
            return false;
        }

        if (_known is { } known && known.ChatId == chatId && time.GetUtcNow() - known.At < RefreshAfter)
        {
            return known.IsForum;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_known is { } again && again.ChatId == chatId && time.GetUtcNow() - again.At < RefreshAfter)
            {
                return again.IsForum;
            }

            var chat = await services.GetRequiredService<ITelegramBotClient>().GetChat(chatId, cancellationToken);
            var isForum = chat.IsForum;
            _known = (chatId, isForum, time.GetUtcNow());
            LogDetected(logger, isForum ? "a forum (one topic per conversation)" : "a plain group (one card per conversation)");
            return isForum;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDetectionFailed(logger, e.GetType().Name);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The agents' group is {Kind}")]
    private static partial void LogDetected(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask Telegram about the agents' group ({ErrorType}); treating it as a plain group for now")]
    private static partial void LogDetectionFailed(ILogger logger, string errorType);
}

/// <summary>Asks once at start-up whether the agents' group is a forum, so the first escalation does not wait for it.</summary>
public sealed class AgentGroupDetection(AgentGroup group) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await group.IsForumAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
