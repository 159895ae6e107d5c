using Microsoft.Extensions.Time.Testing;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// Fake clocks for tests, at a fixed start (2026-01-01T12:00:00Z) because tests assert dates (a quarantine's end, say);
/// <see cref="FakeTimeProvider"/>'s own default start is 2000-01-01. Its local time zone is UTC, as the engine's is.
/// </summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => Create(Start);

    public static FakeTimeProvider Create(DateTimeOffset start)
    {
        var clock = new FakeTimeProvider(start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }
}
