using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Tests.Storage;

public sealed class InProcessStoreLockTests : StoreLockContractTests
{
    private readonly InProcessStoreLock _lock = new();

    private protected override IStoreLock Lock => _lock;

    [Fact]
    public async Task AcquireAsync_AllHoldersAndWaitersGone_LeavesNoEntries()
    {
        var held = await _lock.AcquireAsync("a");
        var waiter = _lock.AcquireAsync("a");
        using var cts = new CancellationTokenSource();
        var cancelled = _lock.AcquireAsync("a", cts.Token);
        await using (await _lock.AcquireAsync("b")) { }
        Assert.Equal(1, _lock.ActiveNames);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await held.DisposeAsync();
        await (await waiter.WaitAsync(Failsafe)).DisposeAsync();

        Assert.Equal(0, _lock.ActiveNames);
    }

    [Fact]
    public async Task DisposeAsync_Twice_ReleasesOnlyOnce()
    {
        var first = await _lock.AcquireAsync("a");
        await first.DisposeAsync();
        var second = await _lock.AcquireAsync("a");

        await first.DisposeAsync();

        var third = _lock.AcquireAsync("a");
        Assert.False(third.IsCompleted);
        await second.DisposeAsync();
        await (await third.WaitAsync(Failsafe)).DisposeAsync();
        Assert.Equal(0, _lock.ActiveNames);
    }
}
