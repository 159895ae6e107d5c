using System.Net;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// Issue 12: a sign-in answer that is altered, replayed, meant for another app, or carries an id_token with a wrong nonce,
/// issuer or audience is refused with a page that says why, and no session (cookie) or token (store) comes of it.
/// </summary>
public sealed class SignInRefusalTests : IAsyncLifetime
{
    private SignInHost _host = null!;

    public async Task InitializeAsync() => _host = await SignInHost.StartAsync();

    [Fact]
    public async Task Callback_TamperedState_RefusedWithoutSession()
    {
        using var flow = new SignInFlow();
        var callback = await flow.UntilCallbackAsync(_host.PageUrl, "alice");
        var state = System.Web.HttpUtility.ParseQueryString(callback.Query)["state"]!;
        var i = state.Length / 2;
        var tampered = state[..i] + (state[i] == 'A' ? 'B' : 'A') + state[(i + 1)..];
        var url = callback.ToString().Replace(Uri.EscapeDataString(state), Uri.EscapeDataString(tampered));
        Assert.NotEqual(callback.ToString(), url);

        await AssertRefusedAsync(flow, new Uri(url), "state");
        Assert.Empty(await _host.StoreOfAsync("alice"));
    }

    [Fact]
    public async Task Callback_Replayed_RefusedTheSecondTime()
    {
        using var flow = new SignInFlow();
        var callback = await flow.UntilCallbackAsync(_host.PageUrl, "alice");
        using (var first = await flow.Client.GetAsync(callback))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.Equal("/apps/portal/pages/Home", first.Headers.Location!.OriginalString);
            Assert.True(flow.HasSession(_host.Host.BaseUrl, SignInHost.App));
        }

        // The same answer again, from the same browser and from another one (an attacker who saw the URL).
        using var attacker = new SignInFlow();
        await AssertRefusedAsync(attacker, callback, "already used");
        using var again = await flow.Client.GetAsync(callback);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.DoesNotContain(again.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("lct_user=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Callback_ForAnotherApp_Refused()
    {
        await _host.AddAppAsync("portal2", "portal2-secret-0123456789");
        using var flow = new SignInFlow();
        var callback = await flow.UntilCallbackAsync(_host.PageUrl, "alice");
        var other = new Uri(callback.ToString().Replace("/apps/portal/signin-oidc", "/apps/portal2/signin-oidc"));

        await AssertRefusedAsync(flow, other, "sign-in", app: "portal2");
        Assert.Empty(await _host.StoreOfAsync("alice", "portal2"));
        Assert.False(flow.HasSession(_host.Host.BaseUrl, SignInHost.App));
    }

    [Theory]
    [InlineData(IdTokenFault.WrongNonce, "nonce")]
    [InlineData(IdTokenFault.OtherIssuer, "issuer")]
    [InlineData(IdTokenFault.OtherAudience, "audience")]
    public async Task Callback_IdTokenWithFault_Refused(IdTokenFault fault, string reason)
    {
        await using var faulty = await FaultyOidcProvider.StartAsync();
        await _host.AddAppAsync("faulty", "faulty-secret-0123456789", authority: faulty.Authority);
        var pageUrl = _host.Host.PageUrl("faulty", "Home");

        // The same provider without the fault signs in: only the fault makes the difference.
        using (var control = new SignInFlow())
        {
            using var accepted = await control.Client.GetAsync(await control.UntilCallbackAsync(pageUrl, "alice"));
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.True(control.HasSession(_host.Host.BaseUrl, "faulty"));
        }

        faulty.Fault = fault;
        using var flow = new SignInFlow();
        await AssertRefusedAsync(flow, await flow.UntilCallbackAsync(pageUrl, "alice"), reason, app: "faulty");
    }

    private async Task AssertRefusedAsync(SignInFlow flow, Uri callback, string reason, string app = SignInHost.App)
    {
        using var response = await flow.Client.GetAsync(callback);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("Sign-in refused", page);
        Assert.Contains(reason, page, StringComparison.OrdinalIgnoreCase);
        Assert.False(flow.HasSession(_host.Host.BaseUrl, app));
        // And the page still asks for a sign-in: no session came of it.
        using var viewer = await flow.Client.GetAsync($"{_host.Host.BaseUrl}/apps/{app}/pages/Home");
        Assert.Equal(HttpStatusCode.SeeOther, viewer.StatusCode);
        Assert.StartsWith($"/apps/{app}/signin", viewer.Headers.Location!.OriginalString);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
