using LowCodeTokens.Engine.Definitions.Folders;
using LowCodeTokens.Engine.Runtime;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.Definitions;

/// <summary>
/// Applies the definitions folder (<c>LowCodeTokens:Definitions:Path</c>) at start-up, before the host serves, and with
/// <c>Watch</c> again after each change (debounced). A folder with a problem is not applied: what runs stays as it was,
/// and every problem is logged as <c>path:line:column: message</c>. Without a path it does nothing.
/// </summary>
internal sealed partial class DefinitionFolderService(
    DefinitionFolderLoader loader, IOptions<DefinitionFolderOptions> options, DefinitionVariables hostVariables,
    IHostEnvironment environment, TimeProvider time, ILogger<DefinitionFolderService> logger) : IHostedService, IDisposable
{
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;
    private CancellationTokenSource? _stopping;
    private string _folder = "";
    private int _shutDown;

    /// <summary>The last load's result; null before the first.</summary>
    public FolderResult? LastResult { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Path)) return;
        _folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Path));
        _stopping = new CancellationTokenSource();
        await LoadAsync(cancellationToken);
        if (!options.Value.Watch || !Directory.Exists(_folder)) return;

        _debounce = time.CreateTimer(_ => _ = ReloadAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(_folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += (_, _) => Debounce();
        _watcher.Created += (_, _) => Debounce();
        _watcher.Deleted += (_, _) => Debounce();
        _watcher.Renamed += (_, _) => Debounce();
        _watcher.EnableRaisingEvents = true;
        LogWatching(logger, _folder);
    }

    // Every change restarts the wait: the folder is applied once it has been quiet for the debounce time.
    private void Debounce()
    {
        try
        {
            _debounce?.Change(options.Value.Debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await LoadAsync(_stopping!.Token);
        }
        catch (OperationCanceledException) when (_stopping!.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogReloadFailed(logger, _folder, e);
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var variables = hostVariables.Merge(options.Value.Variables);
        var result = await loader.LoadAsync(_folder, variables, ct);
        LastResult = result;
        if (result.Succeeded)
        {
            LogApplied(logger, _folder, result.Modules, result.Apps, string.Join(", ", result.Published), string.Join(", ", result.Imported));
            return;
        }
        foreach (var problem in result.Problems)
            LogProblem(logger, problem.ToString());
        LogNotApplied(logger, _folder, result.Problems.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        return Task.CompletedTask;
    }

    // The test host may dispose the service before it is stopped: whichever comes first stops the watching, once. The
    // CancellationTokenSource is cancelled, not disposed (it has no timer to release), so a late stop finds it usable.
    public void Dispose() => ShutDown();

    private void ShutDown()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) == 1) return;
        _stopping?.Cancel();
        // Disposing stops the events; a change arriving now finds the timer gone.
        _watcher?.Dispose();
        _debounce?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Definitions folder {Folder} applied ({Modules} modules, {Apps} apps); published: [{Published}]; imported: [{Imported}]")]
    private static partial void LogApplied(ILogger logger, string folder, int modules, int apps, string published, string imported);

    [LoggerMessage(Level = LogLevel.Error, Message = "Definitions folder {Folder} not applied: {Count} problem(s) above; the definitions in use are unchanged")]
    private static partial void LogNotApplied(ILogger logger, string folder, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching definitions folder {Folder} for changes")]
    private static partial void LogWatching(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-applying definitions folder {Folder} failed")]
    private static partial void LogReloadFailed(ILogger logger, string folder, Exception exception);
}
