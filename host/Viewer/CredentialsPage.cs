using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Host.Auth;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Viewer;

/// <summary>
/// <c>GET /apps/{app}/credentials</c>: the credential health of <c>GET /api/apps/{app}/credentials</c> as a table, worst
/// first, for a viewer signed in with the admin key (<c>?key=</c> once, as on the viewer page, or the viewer's cookie).
/// Rendered on the server, every value HTML-encoded; no script.
/// </summary>
public static class CredentialsPage
{
    public static IEndpointConventionBuilder MapCredentialsPage(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/apps/{app}/credentials", ShowAsync).ExcludeFromDescription();

    private static async Task<IResult> ShowAsync(string app, HttpContext context, [FromServices] ViewerTickets tickets,
        [FromServices] IDefinitionRepository repository, [FromServices] ITokenEventLog events)
    {
        ViewerPages.Harden(context.Response);
        var path = $"{ViewerTickets.AppPath(app)}/credentials";
        if (context.Request.Query["key"] is { Count: 1 } key)
        {
            if (!await tickets.SignInAsync(context, app, key[0]!)) return Message(app, "That key does not open this app.", StatusCodes.Status401Unauthorized);
            // The key leaves the address bar and the history at once, as on the viewer page.
            return ViewerEndpoints.SeeOther(context, path + ViewerEndpoints.WithoutKey(context.Request.Query));
        }
        if (!await tickets.IsSignedInAsync(context, app))
            return Message(app, "Open this page with ?key=<admin key> to sign in.", StatusCodes.Status401Unauthorized);
        if (PresentedKey.Get(context) != PresentedKey.Admin)
            return Message(app, "Credential health is for the admin: sign in with the admin key.", StatusCodes.Status403Forbidden);
        if (await repository.GetAppAsync(app, context.RequestAborted) is null)
            return Message(app, $"There is no app '{app}'.", StatusCodes.Status404NotFound);
        return Results.Content(Table(app, events.Credentials(app)), "text/html; charset=utf-8");
    }

    private static string Table(string app, IReadOnlyList<CredentialHealth> credentials)
    {
        var e = HtmlEncoder.Default;
        var rows = new StringBuilder();
        foreach (var c in credentials)
        {
            var health = c.Severity switch { 3 => "reauthenticate", 2 => "failing", 1 => "no-token", _ => "ok" };
            rows.Append($"""<tr class="health-{health}" data-module="{e.Encode(c.Module)}" data-scope="{e.Encode(c.Scope)}">""");
            foreach (var cell in new[]
                     {
                         health, c.Module, c.Scope, c.HasToken ? "yes" : "no", Time(c.ExpiresAt), Time(c.RefreshAt), Time(c.LastRefresh),
                         c.FailuresInARow.ToString(CultureInfo.InvariantCulture), Time(c.NextAttemptAt), c.LastError ?? "",
                         c.NeedsReauthentication ? "yes" : "no",
                     })
                rows.Append($"<td>{e.Encode(cell)}</td>");
            rows.Append("</tr>");
        }
        var empty = credentials.Count == 0 ? """<p class="muted">No token lifecycle events reported yet.</p>""" : "";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Credentials · {e.Encode(app)}</title><link rel="stylesheet" href="/viewer/viewer.css"></head>
            <body><header class="topbar"><span class="brand">LowCodeTokens</span><span class="crumbs">{e.Encode(app)}<span class="sep">/</span>credentials</span></header>
            <main class="panel"><h2>Credential health, worst first</h2>{empty}
            <table id="credentials" class="grid"><thead><tr><th>Health</th><th>Module</th><th>Scope</th><th>Has token</th><th>Expires at</th>
            <th>Refresh at</th><th>Last refresh</th><th>Failures in a row</th><th>Next attempt</th><th>Last error</th><th>Needs re-authentication</th></tr></thead>
            <tbody>{rows}</tbody></table></main></body></html>
            """;
    }

    private static string Time(DateTimeOffset? at) => at?.ToString("u", CultureInfo.InvariantCulture) ?? "";

    private static IResult Message(string app, string text, int status)
    {
        var e = HtmlEncoder.Default;
        return Results.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Credentials · {e.Encode(app)}</title><link rel="stylesheet" href="/viewer/viewer.css"></head>
            <body class="signin"><p class="signin-error" role="alert">{e.Encode(text)}</p></body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
