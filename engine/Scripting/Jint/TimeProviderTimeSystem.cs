using System.Globalization;
using Jint.Runtime;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>Scripts' <c>Date</c> follows the engine's <see cref="TimeProvider"/> (tests move a fake clock); parsing and offsets are UTC.</summary>
internal sealed class TimeProviderTimeSystem(TimeProvider time) : ITimeSystem
{
    private static readonly DefaultTimeSystem Utc = new(TimeZoneInfo.Utc, CultureInfo.InvariantCulture);

    public TimeZoneInfo DefaultTimeZone => TimeZoneInfo.Utc;

    public DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public bool TryParse(string date, out long epochMilliseconds) => Utc.TryParse(date, out epochMilliseconds);

    public TimeSpan GetUtcOffset(long epochMilliseconds) => TimeSpan.Zero;
}
