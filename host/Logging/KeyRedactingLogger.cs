namespace LowCodeTokens.Host.Logging;

/// <summary>
/// Passes log entries through unchanged unless one holds a key parameter of a URL (<see cref="UrlKeys"/>); such an entry
/// goes on as <see cref="RedactedLogState"/>: the same fields and message with the key's value masked.
/// </summary>
internal sealed class KeyRedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            // Structured entries (all of ASP.NET Core's and [LoggerMessage]'s): look at their string fields only.
            if (!HoldsKey(fields))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            inner.Log(logLevel, eventId, RedactedLogState.From(fields, formatter(state, exception)), exception, RedactedLogState.Format);
            return;
        }

        var message = formatter(state, exception);
        if (UrlKeys.MayContain(message))
            inner.Log(logLevel, eventId, RedactedLogState.From([], message), exception, RedactedLogState.Format);
        else
            inner.Log(logLevel, eventId, state, exception, formatter);
    }

    private static bool HoldsKey(IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        for (var i = 0; i < fields.Count; i++)
            if (fields[i].Value is string text && UrlKeys.MayContain(text))
                return true;
        return false;
    }
}
