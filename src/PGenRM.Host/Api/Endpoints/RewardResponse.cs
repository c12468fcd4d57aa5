namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// POST /get_reward: one reward per query, in query order (OpenRLHF reads "rewards"), and per query whether its reward is
/// the compact evaluator's because the tenant's generative judge failed (tenant setting <c>llmFallback</c>): a substitute
/// reward is never silent.
/// </summary>
internal sealed record RewardResponse(double[] Rewards, bool[] Fallback);
