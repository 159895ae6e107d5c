namespace LowCodeTokens.Engine.Storage;

/// <summary>Encrypts store values at rest.</summary>
public interface IValueProtector
{
    string Protect(string plaintext);
    string Unprotect(string protectedText);
}
