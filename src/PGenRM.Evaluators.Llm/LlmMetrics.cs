using System.Diagnostics.Metrics;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// OpenTelemetry metrics of the judge (meter <see cref="MeterName"/>): tokens in and out, chains, requests, parse
/// failures, repairs, fallbacks and model latency, tagged with the model. One instance per process (the meter's
/// instruments are shared by all judges).
/// </summary>
public sealed class LlmMetrics : IDisposable
{
    /// <summary>The meter's name (add it to the OpenTelemetry meter provider).</summary>
    public const string MeterName = "PGenRM.Evaluators.Llm";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="factory"/>, or on a private meter.</summary>
    public LlmMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        InputTokens = _meter.CreateCounter<long>("pgenrm.llm.tokens.input", "{token}", "Prompt tokens sent to the judge model.");
        OutputTokens = _meter.CreateCounter<long>("pgenrm.llm.tokens.output", "{token}", "Tokens the judge model generated.");
        Chains = _meter.CreateCounter<long>("pgenrm.llm.chains", "{chain}", "Evaluation chains sampled (valid or not).");
        Requests = _meter.CreateCounter<long>("pgenrm.llm.requests", "{request}", "Requests sent to the model server.");
        ParseFailures = _meter.CreateCounter<long>("pgenrm.llm.parse_failures", "{chain}", "Answers that could not be read (before repair).");
        Repairs = _meter.CreateCounter<long>("pgenrm.llm.repairs", "{chain}", "Repair attempts that produced a readable answer.");
        Fallbacks = _meter.CreateCounter<long>("pgenrm.llm.fallbacks", "{score}", "Scores answered by the compact evaluator because the judge failed.");
        Latency = _meter.CreateHistogram<double>("pgenrm.llm.model.latency", "ms", "Latency of one request to the model server.");
    }

    /// <summary>Prompt tokens.</summary>
    public Counter<long> InputTokens { get; }

    /// <summary>Generated tokens.</summary>
    public Counter<long> OutputTokens { get; }

    /// <summary>Chains sampled.</summary>
    public Counter<long> Chains { get; }

    /// <summary>Requests sent.</summary>
    public Counter<long> Requests { get; }

    /// <summary>Unreadable answers.</summary>
    public Counter<long> ParseFailures { get; }

    /// <summary>Successful repairs.</summary>
    public Counter<long> Repairs { get; }

    /// <summary>Fallbacks to the compact evaluator.</summary>
    public Counter<long> Fallbacks { get; }

    /// <summary>Model request latency.</summary>
    public Histogram<double> Latency { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
