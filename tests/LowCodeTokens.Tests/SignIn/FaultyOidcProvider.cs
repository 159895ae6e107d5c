using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>What <see cref="FaultyOidcProvider"/> gets wrong in the id_token it issues.</summary>
public enum IdTokenFault { None, WrongNonce, OtherIssuer, OtherAudience }

/// <summary>
/// A hand-written OpenID Connect provider for the faults a real one does not produce: an id_token with another nonce,
/// issuer or audience, correctly signed with the key its discovery document publishes (so only the named check can fail).
/// Discovery, JWKS, an authorization endpoint that approves at once, and a token endpoint; nothing else.
/// </summary>
internal sealed class FaultyOidcProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "faulty-1" };
    private readonly ConcurrentDictionary<string, (string Nonce, string ClientId)> _codes = new();

    private FaultyOidcProvider(WebApplication app) => _app = app;

    public IdTokenFault Fault { get; set; }
    public string Authority { get; private set; } = "";

    public static async Task<FaultyOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var self = new FaultyOidcProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = self.Authority,
            ["authorization_endpoint"] = self.Authority + "authorize",
            ["token_endpoint"] = self.Authority + "token",
            ["jwks_uri"] = self.Authority + "jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(self._key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            self._codes[code] = (request.Query["nonce"].ToString(), request.Query["client_id"].ToString());
            return Results.Redirect($"{request.Query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(request.Query["state"].ToString())}");
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (!self._codes.TryRemove(form["code"].ToString(), out var issued))
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            return Results.Json(new
            {
                access_token = "faulty-at-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                token_type = "Bearer",
                expires_in = 300,
                id_token = self.IdToken(issued.Nonce, issued.ClientId),
            });
        });
        await app.StartAsync();
        self.Authority = new Uri(app.Urls.First()).GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1") + "/";
        return self;
    }

    private string IdToken(string nonce, string clientId)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Fault == IdTokenFault.OtherIssuer ? "http://127.0.0.1:1/elsewhere/" : Authority,
            Audience = Fault == IdTokenFault.OtherAudience ? "another-client" : clientId,
            Subject = new ClaimsIdentity([new Claim("sub", "faulty-user"), new Claim("nonce", Fault == IdTokenFault.WrongNonce ? "not-the-nonce" : nonce)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
