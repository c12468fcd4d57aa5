namespace PGenRM.Host.Api.Endpoints;

/// <summary>POST /get_reward: one reward per query, in query order (OpenRLHF reads "rewards").</summary>
internal sealed record RewardResponse(double[] Rewards);
