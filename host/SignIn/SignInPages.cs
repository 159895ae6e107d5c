using System.Text.Encodings.Web;

namespace LowCodeTokens.Host.SignIn;

/// <summary>The pages the sign-in routes answer with: a refused sign-in, and the signed-out page.</summary>
internal static class SignInPages
{
    public static IResult Refused(string app, string reason) =>
        Page(app, "Sign-in refused", reason, "Sign in again", SignInSchemes.SignInPath(app, null), StatusCodes.Status400BadRequest);

    public static IResult SignedOut(string app) =>
        Page(app, "Signed out", "You are signed out of this app; its tokens for you were removed.", "Sign in", SignInSchemes.SignInPath(app, null), StatusCodes.Status200OK);

    public static IResult NoSignIn(string app) =>
        Page(app, "No sign-in", "This app does not sign users in; open its pages with a key.", null, null, StatusCodes.Status404NotFound);

    private static IResult Page(string app, string title, string message, string? linkText, string? link, int status)
    {
        var e = HtmlEncoder.Default;
        var action = linkText is null ? "" : $"""<p><a href="{e.Encode(link!)}">{e.Encode(linkText)}</a></p>""";
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{e.Encode(title)} · {e.Encode(app)}</title><link rel="stylesheet" href="/viewer/viewer.css"></head>
            <body class="signin"><main class="signin-card"><h1>{e.Encode(app)}</h1>
            <p class="signin-error" role="alert" data-outcome="{e.Encode(title)}">{e.Encode(message)}</p>{action}</main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
