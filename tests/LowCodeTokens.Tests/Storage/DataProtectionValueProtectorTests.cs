using System.Text;
using LowCodeTokens.Engine.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace LowCodeTokens.Tests.Storage;

public sealed class DataProtectionValueProtectorTests
{
    [Fact]
    public void Unprotect_SameCiphertextTwice_DecryptsOnce()
    {
        var provider = new CountingProvider();
        var protector = new DataProtectionValueProtector(provider);
        var other = new DataProtectionValueProtector(provider).Protect("\"token\"");

        Assert.Equal("\"token\"", protector.Unprotect(other));
        Assert.Equal("\"token\"", protector.Unprotect(other));

        Assert.Equal(1, provider.Unprotects);
        Assert.Equal(DataProtectionValueProtector.Purpose, provider.Purpose);
    }

    [Fact]
    public void Unprotect_OwnFreshCiphertext_NeedsNoDecryption()
    {
        var provider = new CountingProvider();
        var protector = new DataProtectionValueProtector(provider);

        var protectedText = protector.Protect("\"token\"");

        Assert.NotEqual("\"token\"", protectedText);
        Assert.Equal("\"token\"", protector.Unprotect(protectedText));
        Assert.Equal(0, provider.Unprotects);
    }

    /// <summary>Reversible, counting stand-in for Data Protection.</summary>
    private sealed class CountingProvider : IDataProtector
    {
        private int _unprotects;
        public int Unprotects => _unprotects;
        public string? Purpose { get; private set; }

        public IDataProtector CreateProtector(string purpose)
        {
            Purpose = purpose;
            return this;
        }

        public byte[] Protect(byte[] plaintext) => [.. Encoding.UTF8.GetBytes("enc:"), .. plaintext];

        public byte[] Unprotect(byte[] protectedData)
        {
            Interlocked.Increment(ref _unprotects);
            return protectedData[4..];
        }
    }
}
