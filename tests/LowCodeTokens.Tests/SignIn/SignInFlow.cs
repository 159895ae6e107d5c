using System.Net;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// A browser's part of the sign-in, over HTTP: follows the redirects from the page to the provider's login form, signs in,
/// and stops at the provider's answer (the callback URL), so that a test can send it, alter it or send it twice.
/// </summary>
internal sealed class SignInFlow : IDisposable
{
    private readonly CookieContainer _cookies = new();

    public SignInFlow() =>
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = _cookies });

    public HttpClient Client { get; }

    /// <summary>The callback URL the provider sends the browser to after <paramref name="user"/> signed in.</summary>
    public async Task<Uri> UntilCallbackAsync(string pageUrl, string user)
    {
        var url = new Uri(pageUrl);
        for (int hop = 0; hop < 12; hop++)
        {
            if (url.AbsolutePath.EndsWith("/signin-oidc", StringComparison.Ordinal)) return url;
            using var response = await Client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK && url.AbsolutePath == "/login")
            {
                var returnUrl = System.Web.HttpUtility.ParseQueryString(url.Query)["returnUrl"]!;
                using var posted = await Client.PostAsync(new Uri(url, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["username"] = user, ["password"] = user, ["returnUrl"] = returnUrl,
                }));
                Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
                url = new Uri(url, posted.Headers.Location!);
                continue;
            }
            Assert.True((int)response.StatusCode is >= 300 and < 400, $"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            url = new Uri(url, response.Headers.Location!);
        }
        throw new InvalidOperationException("The sign-in did not reach the callback in 12 redirects.");
    }

    /// <summary>Signs <paramref name="user"/> in to the app of <paramref name="pageUrl"/>: the jar then holds the session cookie.</summary>
    public async Task SignInAsync(string pageUrl, string user)
    {
        using var response = await Client.GetAsync(await UntilCallbackAsync(pageUrl, user));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads the page through the viewer API as the viewer page does (JSON POST, the session cookie).</summary>
    public Task<HttpResponseMessage> LoadAsync(string hostUrl, string app, string body = "{}", string query = "") =>
        Client.PostAsync($"{hostUrl}/apps/{app}/viewer/pages/Home/load{query}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>True when the jar holds a viewer session cookie for <paramref name="hostUrl"/>'s app paths.</summary>
    public bool HasSession(string hostUrl, string app) =>
        _cookies.GetCookies(new Uri($"{hostUrl}/apps/{app}/pages/Home")).Any(c => c.Name == "lct_user" && !c.Expired && c.Value.Length > 0);

    /// <summary>The Cookie header the jar would send to <paramref name="url"/>.</summary>
    public string CookieHeader(string url) => _cookies.GetCookieHeader(new Uri(url));

    public void Dispose() => Client.Dispose();
}
