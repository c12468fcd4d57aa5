using Microsoft.Extensions.Internal;

namespace PGenRM.Grains;

/// <summary>A <see cref="Microsoft.Extensions.Caching.Memory.MemoryCache"/>'s clock on a <see cref="TimeProvider"/> (MemoryCacheOptions still takes an ISystemClock).</summary>
internal sealed class TimeProviderClock(TimeProvider time) : ISystemClock
{
    /// <inheritdoc />
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
