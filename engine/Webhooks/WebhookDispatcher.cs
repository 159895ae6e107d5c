using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using LowCodeTokens.Engine.Tokens;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Webhooks;

/// <summary>
/// Delivers lifecycle events to the app's webhooks from a bounded channel, off the request path: a page load only writes
/// to the channel. Each delivery is signed (<see cref="WebhookSignature"/>, signed afresh at each attempt) and retried on a
/// network error or a non-2xx answer, waiting <see cref="WebhookOptions.FirstRetryDelay"/> doubling to
/// <see cref="WebhookOptions.MaxRetryDelay"/>, up to <see cref="WebhookOptions.MaxAttempts"/>. Retries wait on their own,
/// so that one slow receiver does not hold back the others.
/// </summary>
internal sealed partial class WebhookDispatcher : BackgroundService, IWebhookQueue
{
    internal const string HttpClientName = "LowCodeTokens.Webhooks";

    private readonly Channel<TokenEvent> _queue;
    private readonly WebhookRegistry _registry;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly WebhookOptions _options;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly List<Task> _retries = [];

    public WebhookDispatcher(WebhookRegistry registry, IHttpClientFactory clients, TimeProvider time, IOptions<LowCodeEngineOptions> options,
        ILogger<WebhookDispatcher> logger)
    {
        _registry = registry;
        _clients = clients;
        _time = time;
        _options = options.Value.Webhooks;
        _logger = logger;
        _queue = Channel.CreateBounded<TokenEvent>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        }, dropped => LogDropped(_logger, dropped.App, dropped.Type));
    }

    private volatile bool _started;

    // Without a host running this service (an engine in a plain container), nothing would ever read the queue: keep nothing.
    public void Enqueue(TokenEvent tokenEvent)
    {
        if (_started) _queue.Writer.TryWrite(tokenEvent);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                IReadOnlyList<(string Id, WebhookRegistry.StoredWebhook Stored)> hooks;
                try
                {
                    hooks = await _registry.ReadAllAsync(e.App, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReadFailed(_logger, e.App, ex.GetType().Name);
                    continue;
                }
                foreach (var (id, hook) in hooks)
                {
                    if (!hook.Events.Contains(e.Type, StringComparer.Ordinal)) continue;
                    var body = Payload(id, e);
                    if (await TryDeliverAsync(id, hook, e, body, attempt: 1, stoppingToken)) continue;
                    lock (_retries)
                    {
                        _retries.RemoveAll(t => t.IsCompleted);
                        _retries.Add(RetryAsync(id, hook, e, body, stoppingToken));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        Task[] pending;
        lock (_retries) pending = _retries.ToArray();
        await Task.WhenAll(pending);
    }

    private async Task RetryAsync(string id, WebhookRegistry.StoredWebhook hook, TokenEvent e, string body, CancellationToken ct)
    {
        var delay = _options.FirstRetryDelay;
        try
        {
            for (var attempt = 2; attempt <= _options.MaxAttempts; attempt++)
            {
                await Task.Delay(delay, _time, ct);
                if (await TryDeliverAsync(id, hook, e, body, attempt, ct)) return;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
            LogGaveUp(_logger, e.App, id, e.Id, _options.MaxAttempts);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryDeliverAsync(string id, WebhookRegistry.StoredWebhook hook, TokenEvent e, string body, int attempt, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Header(hook.Secret, _time.GetUtcNow(), body));
            request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeaderName, e.Type);
            request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeaderName, $"{e.Id}");
            using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode) return true;
            LogAttemptFailed(_logger, e.App, id, attempt, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogAttemptFailed(_logger, e.App, id, attempt, ex is OperationCanceledException ? "timed out" : ex.Message);
        }
        return false;
    }

    /// <summary>The delivered JSON: the event as the events route shows it, plus the webhook's id.</summary>
    internal static string Payload(string webhookId, TokenEvent e) => JsonSerializer.Serialize(new
    {
        webhook = webhookId,
        id = e.Id,
        type = e.Type,
        at = e.At,
        app = e.App,
        module = e.Module,
        scope = e.Scope,
        grant = e.Grant,
        expiresAt = e.ExpiresAt,
        refreshAt = e.RefreshAt,
        nextAttemptAt = e.NextAttemptAt,
        failures = e.Failures,
        status = e.Status,
        error = e.Error,
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue full: dropped a {Type} event of app {App}")]
    private static partial void LogDropped(ILogger logger, string app, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks of app {App} could not be read ({Error})")]
    private static partial void LogReadFailed(ILogger logger, string app, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Webhook} of app {App}: attempt {Attempt} failed: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string app, string webhook, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook} of app {App}: gave up on event {EventId} after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string app, string webhook, long eventId, int attempts);
}
