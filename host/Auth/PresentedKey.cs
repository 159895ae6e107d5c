namespace LowCodeTokens.Host.Auth;

/// <summary>
/// Which key a request was let in with, recorded by the key checks for per-key rate limits: <c>admin</c>, or <c>app:</c> and
/// the app key's hash (never the key itself). The viewer's cookie counts as the key it was signed in with.
/// </summary>
internal static class PresentedKey
{
    private static readonly object ItemKey = new();

    public const string Admin = "admin";

    public static string App(string keyHash) => "app:" + keyHash;

    public static void Set(HttpContext context, string partition) => context.Items[ItemKey] = partition;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(ItemKey, out var value) ? value as string : null;
}
