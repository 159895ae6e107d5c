using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;

namespace LowCodeTokens.Engine.Storage;

/// <summary>Encrypts store values with ASP.NET Core Data Protection (authenticated encryption, rotating keys).</summary>
internal sealed class DataProtectionValueProtector(IDataProtectionProvider provider) : IValueProtector
{
    // Versioned purpose: a future format change gets a new purpose instead of misreading old ciphertext.
    public const string Purpose = "LowCodeTokens.Store.v1";

    /// <remarks>Bounds the plaintext cache; when full it is emptied (values are re-decrypted on demand).</remarks>
    internal const int CacheLimit = 10_000;

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    // The store is read before every script invocation and one Unprotect costs ~60 µs here (key derivation per payload).
    // Each ciphertext has a random IV, so it maps to exactly one plaintext: caching by ciphertext can never serve a stale value.
    private readonly ConcurrentDictionary<string, string> _plaintexts = new(StringComparer.Ordinal);

    public string Protect(string plaintext)
    {
        var protectedText = _protector.Protect(plaintext);
        Remember(protectedText, plaintext);
        return protectedText;
    }

    public string Unprotect(string protectedText)
    {
        if (_plaintexts.TryGetValue(protectedText, out var plaintext))
            return plaintext;
        plaintext = _protector.Unprotect(protectedText);
        Remember(protectedText, plaintext);
        return plaintext;
    }

    private void Remember(string protectedText, string plaintext)
    {
        if (_plaintexts.Count >= CacheLimit)
            _plaintexts.Clear();
        _plaintexts[protectedText] = plaintext;
    }
}
