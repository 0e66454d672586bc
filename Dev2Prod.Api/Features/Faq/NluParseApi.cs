using System.Security.Cryptography;
using System.Text;
using Dev2Prod.Core.Features.Faq;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Api.Features.Faq;

/// <summary>Settings of the Api's own HTTP endpoints (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Key for the admin/automation endpoints (header <c>X-Api-Key</c>); empty: those endpoints refuse everyone.</summary>
    public string? AdminApiKey { get; set; }
}

/// <summary>
/// <c>POST /api/nlu/parse</c>: the classifier's verdict in Rasa's parse shape, for the dashboard's "test a
/// phrase" box and for tooling. Requires <c>X-Api-Key</c>.
/// </summary>
public static class NluParseApi
{
    public const int MaxTextLength = 4096;

    public sealed record ParseRequest(string? Text);

    public sealed record ParseIntent(string Name, double Confidence);

    public sealed record ParseResponse(string Text, ParseIntent Intent, IReadOnlyList<ParseIntent> Ranking);

    public static IEndpointRouteBuilder MapNluApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/nlu/parse", Parse)
            .WithName("ParseText")
            .WithSummary("Classifies a text: the intent, its confidence and the five best intents (Rasa's parse shape).");
        return app;
    }

    public static Results<Ok<ParseResponse>, UnauthorizedHttpResult, ValidationProblem> Parse(
        ParseRequest? request, HttpContext context, IOptionsMonitor<ApiOptions> options, FaqKnowledgeBase knowledge)
    {
        if (!ApiKeys.Matches(context.Request.Headers["X-Api-Key"], options.CurrentValue.AdminApiKey))
        {
            return TypedResults.Unauthorized();
        }

        var text = request?.Text;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["text"] = [string.IsNullOrWhiteSpace(text) ? "text is required." : $"text must be at most {MaxTextLength} characters."],
            });
        }

        var result = knowledge.Classify(text, context.RequestAborted);
        return TypedResults.Ok(new ParseResponse(
            text,
            new ParseIntent(result.Intent.Name, Math.Round(result.Intent.Confidence, 4)),
            result.Ranking.Take(5).Select(r => new ParseIntent(r.Name, Math.Round(r.Confidence, 4))).ToList()));
    }
}

internal static class ApiKeys
{
    /// <summary>Constant-time comparison; an unset key matches nothing.</summary>
    public static bool Matches(string? presented, string? expected) =>
        !string.IsNullOrEmpty(expected) && !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
