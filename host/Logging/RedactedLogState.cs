namespace LowCodeTokens.Host.Logging;

/// <summary>A log entry's fields and formatted message with URL keys masked; structured providers see the same fields.</summary>
internal sealed class RedactedLogState(IReadOnlyList<KeyValuePair<string, object?>> fields, string message)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<RedactedLogState, Exception?, string> Format = static (state, _) => state.ToString();

    public static RedactedLogState From(IReadOnlyList<KeyValuePair<string, object?>> fields, string message) =>
        new([.. fields.Select(f => f.Value is string text && f.Key != "{OriginalFormat}"
                ? new KeyValuePair<string, object?>(f.Key, UrlKeys.Redact(text))
                : f)],
            UrlKeys.Redact(message));

    public KeyValuePair<string, object?> this[int index] => fields[index];

    public int Count => fields.Count;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => message;
}
