using System.Globalization;
using Microsoft.Extensions.Options;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// Checks <see cref="OnnxEncoderOptions"/>. Each message names the setting, its configuration key, the allowed range and the
/// value found, so a bad deployment fails at start-up with an actionable error.
/// </summary>
public sealed class OnnxEncoderOptionsValidator : IValidateOptions<OnnxEncoderOptions>
{
    private static readonly TimeSpan MaxBatchingWindow = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid setting, or returns when all are valid.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentException">One or more settings are invalid.</exception>
    public static void ThrowIfInvalid(OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid {nameof(OnnxEncoderOptions)}: {string.Join(" ", failures)}", nameof(options));
        }
    }

    private static List<string> GetFailures(OnnxEncoderOptions o)
    {
        var failures = new List<string>();

        void Check(bool ok, string setting, string rule, object? value)
        {
            if (!ok)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{setting} ({OnnxEncoderOptions.SectionName}:{setting}) must be {rule}; it is {value ?? "null"}."));
            }
        }

        Check(!string.IsNullOrWhiteSpace(o.ModelPath), nameof(o.ModelPath),
            $"the path of {OnnxEncoderOptions.DefaultModelFileName}", o.ModelPath is null ? null : $"'{o.ModelPath}'");
        Check(o.IntraOpThreads >= 0, nameof(o.IntraOpThreads), "0 (ONNX Runtime default) or a positive thread count", o.IntraOpThreads);
        Check(o.MaxTokens is >= 3 and <= OnnxEncoderOptions.ModelMaxPositions, nameof(o.MaxTokens),
            $"between 3 and {OnnxEncoderOptions.ModelMaxPositions} (counting [CLS] and [SEP])", o.MaxTokens);
        Check(o.MaxBatchCount >= 1, nameof(o.MaxBatchCount), "at least 1", o.MaxBatchCount);
        Check(o.MaxPaddedTokensPerBatch >= o.MaxTokens, nameof(o.MaxPaddedTokensPerBatch),
            $"at least {nameof(o.MaxTokens)} ({o.MaxTokens}) so that one text of maximal length fits a batch", o.MaxPaddedTokensPerBatch);
        Check(o.MaxPaddingShare is >= 0 and <= 1, nameof(o.MaxPaddingShare), "between 0 and 1 (1 = no limit)", o.MaxPaddingShare);
        Check(o.BatchingWindow >= TimeSpan.Zero && o.BatchingWindow <= MaxBatchingWindow, nameof(o.BatchingWindow),
            "between 00:00:00 and 00:00:01", o.BatchingWindow);
        Check(o.CacheCapacity >= 0, nameof(o.CacheCapacity), "0 (cache off) or a positive entry count", o.CacheCapacity);
        Check(o.CudaDeviceId >= 0, nameof(o.CudaDeviceId), "a non-negative CUDA device ordinal", o.CudaDeviceId);
        return failures;
    }
}
