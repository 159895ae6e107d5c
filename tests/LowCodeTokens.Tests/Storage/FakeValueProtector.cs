using System.Text;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Tests.Storage;

/// <summary>A reversible, visibly different encoding, so tests see that values go through the protector both ways.</summary>
internal sealed class FakeValueProtector : IValueProtector
{
    private const string Prefix = "fake:";
    private int _protects;
    private int _unprotects;

    public int Protects => Volatile.Read(ref _protects);
    public int Unprotects => Volatile.Read(ref _unprotects);

    public string Protect(string plaintext)
    {
        Interlocked.Increment(ref _protects);
        return Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext));
    }

    public string Unprotect(string protectedText)
    {
        Interlocked.Increment(ref _unprotects);
        if (!protectedText.StartsWith(Prefix, StringComparison.Ordinal))
            throw new InvalidOperationException("Value was not protected by this protector.");
        return Encoding.UTF8.GetString(Convert.FromBase64String(protectedText[Prefix.Length..]));
    }
}
