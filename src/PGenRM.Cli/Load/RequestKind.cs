namespace PGenRM.Cli.Load;

/// <summary>The request kinds `pgenrm load` sends; the names are the ones --mix takes.</summary>
internal enum RequestKind
{
    /// <summary>POST /v1/tenants/{t}/users/{u}/feedback with a new pair.</summary>
    Feedback,

    /// <summary>POST /v1/tenants/{t}/users/{u}/score with K candidates.</summary>
    Score,

    /// <summary>POST /v1/tenants/{t}/users/{u}/compare with two candidates.</summary>
    Compare,

    /// <summary>POST /get_reward (OpenRLHF) with K prompt+response strings of one user.</summary>
    GetReward,
}
