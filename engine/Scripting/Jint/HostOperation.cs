namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// .NET work a script started (a query run, a module call) whose promise settles on the engine once the work completes.
/// The work runs outside the session's lock; <see cref="Settle"/> runs under it, in a drive step of the owner's entity.
/// </summary>
internal abstract class HostOperation(Invocation owner)
{
    public Invocation Owner { get; } = owner;
    public abstract Task Work { get; }
    public abstract void Settle();
}

internal sealed class HostOperation<T>(Invocation owner, Task<T> work, Action<Task<T>> settle) : HostOperation(owner)
{
    public override Task Work => work;
    public override void Settle() => settle(work);
}
