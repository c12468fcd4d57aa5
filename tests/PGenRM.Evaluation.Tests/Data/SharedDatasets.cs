using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

/// <summary>Real datasets, each parsed once per test run and shared by every test that reads it.</summary>
internal static class SharedDatasets
{
    private static readonly Lazy<PreferenceDataset> s_tldr = new(() => TldrLoader.Load(Folder("summarize-from-feedback-tldr")));
    private static readonly Lazy<PreferenceDataset> s_polis = new(() => PolisLoader.Load(Folder("polis-opendata")));
    private static readonly Lazy<GscSurvey> s_gsc = new(() => GscLoader.LoadSurvey(Folder("gsc-chatbot-personalization")));

    public static PreferenceDataset Tldr => s_tldr.Value;

    /// <summary>The five default English conversations.</summary>
    public static PreferenceDataset Polis => s_polis.Value;

    public static GscSurvey Gsc => s_gsc.Value;

    /// <summary>A dataset folder under shared/data. Missing data fails the test: CI always has it.</summary>
    public static string Folder(string name) => SharedDataLocator.Find(name);
}
