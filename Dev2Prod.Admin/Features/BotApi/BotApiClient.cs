using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Dev2Prod.Admin.Features.BotApi;

/// <summary>Settings for calling the bot's Api (section <c>Api</c>).</summary>
public sealed class BotApiOptions
{
    public const string Section = "Api";

    /// <summary>The Api's base URL; the default resolves the <c>api</c> resource through service discovery.</summary>
    public Uri BaseUrl { get; set; } = new("http://api");

    /// <summary>Sent as <c>X-Api-Key</c>; empty: the classifier box and Try the bot say they are not configured.</summary>
    public string? AdminApiKey { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AdminApiKey);
}

/// <summary>One intent of the classifier's ranking.</summary>
public sealed record IntentScore(string Name, double Confidence);

/// <summary>The classifier's verdict for a phrase (the Api's <c>POST /api/nlu/parse</c>).</summary>
public sealed record ParseResult(string Text, IntentScore Intent, IReadOnlyList<IntentScore> Ranking);

/// <summary>Why a call to the Api did not work, in words for the page.</summary>
public sealed class BotApiException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The dashboard's client for the bot's Api: the classifier ranking for "test a phrase", and simulated updates
/// for "Try the bot". The model stays in the Api; the dashboard never loads it.
/// </summary>
public sealed class BotApiClient(HttpClient http, Microsoft.Extensions.Options.IOptions<BotApiOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<ParseResult> ParseAsync(string text, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/nlu/parse", JsonContent.Create(new { text }), cancellationToken);
        return await response.Content.ReadFromJsonAsync<ParseResult>(cancellationToken)
            ?? throw new BotApiException("The Api returned an empty answer.");
    }

    /// <summary>Posts a Telegram Update (JSON) for a simulated chat; returns the message id the Api gave a message, if any.</summary>
    public async Task<int?> PostSimulatedUpdateAsync(JsonObject update, CancellationToken cancellationToken)
    {
        using var content = new StringContent(update.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await SendAsync(HttpMethod.Post, "api/simulator/updates", content, cancellationToken);
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return accepted?["messageId"]?.GetValue<int?>();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            throw new BotApiException("Api:AdminApiKey is not configured for the dashboard.");
        }

        using var request = new HttpRequestMessage(method, new Uri(options.Value.BaseUrl, path)) { Content = content };
        request.Headers.Add("X-Api-Key", options.Value.AdminApiKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BotApiException("The bot's Api is not reachable right now.", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new BotApiException(response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "The Api refused the dashboard's key (Api:AdminApiKey differs between the Api and the dashboard).",
                HttpStatusCode.BadRequest => "The Api refused the request: " + await response.Content.ReadAsStringAsync(cancellationToken),
                _ => $"The Api answered {(int)response.StatusCode}.",
            });
        }
    }
}
