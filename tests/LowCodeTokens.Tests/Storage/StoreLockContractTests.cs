using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Tests.Storage;

/// <summary>What every <see cref="IStoreLock"/> must do.</summary>
public abstract class StoreLockContractTests
{
    protected static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(30);

    private protected abstract IStoreLock Lock { get; }

    protected static string NewName() => $"lock-{Guid.NewGuid():N}";

    [Fact]
    public async Task AcquireAsync_WhileHeld_WaitsUntilReleased()
    {
        var name = NewName();
        var held = await Lock.AcquireAsync(name).WaitAsync(Failsafe);

        var second = Lock.AcquireAsync(name);
        await Task.Delay(200);
        Assert.False(second.IsCompleted);

        await held.DisposeAsync();
        await using var acquired = await second.WaitAsync(Failsafe);
        Assert.True(second.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AcquireAsync_OtherName_DoesNotWait()
    {
        await using var held = await Lock.AcquireAsync(NewName()).WaitAsync(Failsafe);

        await using var other = await Lock.AcquireAsync(NewName()).WaitAsync(Failsafe);

        Assert.NotNull(other);
    }

    [Fact]
    public async Task AcquireAsync_ManyTasks_RunCriticalSectionOneAtATime()
    {
        var name = NewName();
        var counter = 0;
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var held = await Lock.AcquireAsync(name);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            var read = counter;
            await Task.Delay(5);
            counter = read + 1;
            Interlocked.Decrement(ref inside);
        }))).WaitAsync(Failsafe);

        Assert.Equal(20, counter);
        Assert.Equal(1, maxInside);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsAndLockStaysUsable()
    {
        var name = NewName();
        var held = await Lock.AcquireAsync(name).WaitAsync(Failsafe);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Lock.AcquireAsync(name, cts.Token).WaitAsync(Failsafe));

        await held.DisposeAsync();
        await using var again = await Lock.AcquireAsync(name).WaitAsync(Failsafe);
        Assert.NotNull(again);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
