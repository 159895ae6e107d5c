using Microsoft.AspNetCore.DataProtection;

namespace LowCodeTokens.Engine.Storage;

/// <summary>Encrypts store values with ASP.NET Core Data Protection (authenticated encryption, rotating keys).</summary>
internal sealed class DataProtectionValueProtector(IDataProtectionProvider provider) : IValueProtector
{
    // Versioned purpose: a future format change gets a new purpose instead of misreading old ciphertext.
    public const string Purpose = "LowCodeTokens.Store.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
