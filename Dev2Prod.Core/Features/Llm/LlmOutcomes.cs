namespace Dev2Prod.Core.Features.Llm;

/// <summary>Values of <c>llm_usages.outcome</c> and the <c>status</c> label of <c>llm_requests_total</c>.</summary>
public static class LlmOutcomes
{
    public const string Success = "success";
    public const string Error = "error";
    public const string Timeout = "timeout";
    public const string RejectedQuota = "rejected_quota";
    public const string RejectedBudget = "rejected_budget";
}
