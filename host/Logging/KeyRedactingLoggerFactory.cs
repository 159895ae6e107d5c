using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.Logging;

/// <summary>
/// The logger factory with every logger it makes wrapped in <see cref="KeyRedactingLogger"/>, so that no provider (console,
/// a test's, an operator's) receives a key from a URL: ASP.NET Core's request logging ("Request starting GET
/// http://…/apps/crm/pages/Home?key=…") writes the query string as it came, before any middleware of this host runs.
/// </summary>
/// <remarks>
/// A subclass rather than a decorator so that it is built exactly as the framework builds its own (providers, filter
/// options, scope provider) and keeps its lifetime and disposal; it re-implements only <see cref="ILoggerFactory.CreateLogger"/>.
/// </remarks>
internal sealed class KeyRedactingLoggerFactory(
    IEnumerable<ILoggerProvider> providers,
    IOptionsMonitor<LoggerFilterOptions> filterOption,
    IOptions<LoggerFactoryOptions>? options = null,
    IExternalScopeProvider? scopeProvider = null)
    : LoggerFactory(providers, filterOption, options, scopeProvider), ILoggerFactory
{
    ILogger ILoggerFactory.CreateLogger(string categoryName) => new KeyRedactingLogger(CreateLogger(categoryName));
}
