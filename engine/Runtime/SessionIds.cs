using System.Security.Cryptography;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Unguessable session ids: 144 random bits, base64url. Random bytes are drawn from the OS 64 ids at a time, because one
/// draw per page load was a measurable share of opening a session (a system call each).
/// </summary>
internal static class SessionIds
{
    private const int Bytes = 18;
    private const int Batch = 64;

    [ThreadStatic] private static byte[]? _pool;
    [ThreadStatic] private static int _next;

    public static string Next()
    {
        if (_pool is null || _next == Batch)
        {
            _pool ??= new byte[Bytes * Batch];
            RandomNumberGenerator.Fill(_pool);
            _next = 0;
        }
        var offset = _next++ * Bytes;
        var id = Convert.ToBase64String(_pool, offset, Bytes).Replace('+', '-').Replace('/', '_');
        Array.Clear(_pool, offset, Bytes); // an id handed out leaves no copy behind
        return id;
    }
}
