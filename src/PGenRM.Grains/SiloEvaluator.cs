using Microsoft.Extensions.Logging;
using PGenRM.Core.Encoding;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;

namespace PGenRM.Grains;

/// <summary>
/// Silo singleton that owns the silo's one <see cref="CompactEvaluator"/>. Building it encodes the criteria bank and
/// scenarios (a few hundred texts), so it happens once per silo, lazily, off the grain scheduler; grains only await it.
/// A failed build is retried by the next caller instead of poisoning the silo.
/// </summary>
public sealed partial class SiloEvaluator
{
    private readonly ISentenceEncoder _encoder;
    private readonly HybridModelOptions _model;
    private readonly ILogger<SiloEvaluator> _logger;
    private readonly Lock _gate = new();
    private Task<CompactEvaluator>? _creation;

    /// <summary>Creates the host; nothing is built until the first <see cref="GetAsync"/>.</summary>
    public SiloEvaluator(ISentenceEncoder encoder, HybridModelOptions model, ScalingOptions scaling, ILogger<SiloEvaluator> logger)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scaling);
        ArgumentNullException.ThrowIfNull(logger);
        model.Validate();
        scaling.Validate();
        _encoder = encoder;
        _model = model;
        Scaling = scaling;
        _logger = logger;
    }

    /// <summary>The model options the silo's evaluator is built with (known before it is built).</summary>
    public HybridModelOptions Model => _model;

    /// <summary>Test-time scaling used when user grains score candidates.</summary>
    public ScalingOptions Scaling { get; }

    /// <summary>The silo's evaluator, built on first use.</summary>
    public Task<CompactEvaluator> GetAsync(CancellationToken cancellationToken = default)
    {
        var creation = Volatile.Read(ref _creation);
        if (creation is null || creation.IsFaulted || creation.IsCanceled)
        {
            lock (_gate)
            {
                creation = _creation;
                if (creation is null || creation.IsFaulted || creation.IsCanceled)
                {
                    // Task.Run: the build's synchronous parts must not run on (and block) the calling grain's scheduler.
                    // No caller's token: one caller giving up must not cancel the build the others wait for.
                    creation = Task.Run(CreateAsync);
                    Volatile.Write(ref _creation, creation);
                }
            }
        }

        return creation.WaitAsync(cancellationToken);
    }

    private async Task<CompactEvaluator> CreateAsync()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var evaluator = await CompactEvaluator.CreateAsync(_encoder, _model).ConfigureAwait(false);
            LogEvaluatorReady(evaluator.ModelVersion, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return evaluator;
        }
        catch (Exception e)
        {
            LogEvaluatorFailed(e);
            throw;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Evaluator {ModelVersion} ready in {ElapsedMs:F0} ms")]
    private partial void LogEvaluatorReady(string modelVersion, double elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Building the evaluator failed; the next request retries")]
    private partial void LogEvaluatorFailed(Exception exception);
}
