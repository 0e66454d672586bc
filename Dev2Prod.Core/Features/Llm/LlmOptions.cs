namespace Dev2Prod.Core.Features.Llm;

/// <summary>
/// The language model and its limits (section <c>Llm</c>). Read through <c>IOptionsMonitor</c> on every job, so
/// a rotated API key, a new price or a changed quota applies to the next job without a restart.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    /// <summary>OpenAI-compatible endpoint (LongCat's by default; the client appends <c>chat/completions</c>).</summary>
    public string BaseUrl { get; set; } = "https://api.longcat.chat/openai/v1";

    public string Model { get; set; } = "LongCat-Flash-Chat";

    /// <summary>Empty: no model calls; the Worker answers from the knowledge base and offers a human.</summary>
    public string? ApiKey { get; set; }

    public int MaxTokens { get; set; } = 500;

    public float Temperature { get; set; } = 0.3f;

    /// <summary>Timeout of one HTTP attempt to the model.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>HTTP retries on 429/5xx/timeouts within one job attempt (exponential back-off with jitter).</summary>
    public int HttpRetries { get; set; } = 2;

    public TimeSpan HttpRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Job attempts before the job goes to the dead-letter stream and the user gets an apology.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Pause before a failed job is tried again (doubled per attempt).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job pending this long with a consumer that stopped answering is taken over (XAUTOCLAIM).</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Jobs one Worker replica handles at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Model questions per conversation (session).</summary>
    public int SessionQuota { get; set; } = 10;

    /// <summary>Model questions per user per day (in <see cref="BudgetTimeZone"/>).</summary>
    public int UserDailyQuota { get; set; } = 50;

    /// <summary>Total spend per day; overridable at run time by the Redis key <c>dev2prod:llm:daily-budget-usd</c>.</summary>
    public decimal DailyBudgetUsd { get; set; } = 100m;

    /// <summary>IANA or Windows id; the day (quotas, budget) turns at midnight here.</summary>
    public string BudgetTimeZone { get; set; } = "UTC";

    /// <summary>Tokens of the whole prompt (system, knowledge, history, question) before the answer.</summary>
    public int PromptTokenBudget { get; set; } = 3000;

    /// <summary>Knowledge-base entries put in the prompt.</summary>
    public int KnowledgeEntries { get; set; } = 3;

    /// <summary>Earlier messages of the conversation considered for the prompt (newest first, within the budget).</summary>
    public int HistoryMessages { get; set; } = 12;

    /// <summary>Price per model, USD per 1M tokens. A model missing here is priced with <see cref="DefaultPrice"/>.</summary>
    public Dictionary<string, LlmPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LongCat-Flash-Chat"] = new() { InputPer1M = 0.30m, OutputPer1M = 1.20m },
    };

    /// <summary>Deliberately not zero: an unknown model must still count against the budget.</summary>
    public LlmPrice DefaultPrice { get; set; } = new() { InputPer1M = 5m, OutputPer1M = 15m };

    public bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);

    public LlmPrice PriceOf(string model) => Prices.TryGetValue(model, out var price) ? price : DefaultPrice;

    public TimeZoneInfo TimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(BudgetTimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}

/// <summary>USD per one million tokens.</summary>
public sealed class LlmPrice
{
    public decimal InputPer1M { get; set; }
    public decimal OutputPer1M { get; set; }

    public decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPer1M + outputTokens * OutputPer1M) / 1_000_000m;
}
