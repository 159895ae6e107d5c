using System.Text.Json;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Tokens;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Problems;

/// <summary>
/// Turns exceptions into problem+json: unreadable request bodies into 400 naming the JSON path and position,
/// <see cref="AppNotFoundException"/> into 404, <see cref="TooManySessionsException"/> into 429 with <c>Retry-After</c>, and anything else into a 500 that reveals nothing of the server.
/// </summary>
internal sealed partial class LowCodeExceptionHandler(IProblemDetailsService problemDetails, ILogger<LowCodeExceptionHandler> logger)
    : IExceptionHandler
{
    private const int ClientClosedRequest = 499;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = ClientClosedRequest;
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException bad => BadRequest(bad),
            AppNotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = notFound.Message,
            },
            TooManySessionsException full => TooManySessions(context, full),
            _ => null,
        };
        if (problem is null)
        {
            // The text, not the exception: a message may quote a value the request carried; JWTs and token=… pairs are masked.
            LogUnhandled(logger, context.Request.Method, context.Request.Path, Redactor.Patterns.Text(exception.ToString()));
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The error was logged; quote the trace id when reporting it.",
            };
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    // The app is at its session cap and every open session is someone's (busy or recent): refused, not closed for this load.
    private static ProblemDetails TooManySessions(HttpContext context, TooManySessionsException exception)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(exception.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests, Title = "Too many open sessions.", Detail = exception.Message,
        };
    }

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is not JsonException json)
            return new ProblemDetails { Status = exception.StatusCode, Title = "The request is not valid.", Detail = exception.Message };

        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var message = Describe(json);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON.",
            Detail = $"{path} (line {(json.LineNumber ?? 0) + 1}, position {(json.BytePositionInLine ?? 0) + 1}): {message}",
        };
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [path] = [message] };
        return problem;
    }

    // System.Text.Json messages end in "Path: ... | LineNumber: ..." (given separately above) and name CLR types (not ours to show).
    private static string Describe(JsonException json)
    {
        var message = json.Message;
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return "The value has the wrong type for this field.";
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
                message = message[..at];
        }
        return message.TrimEnd(' ', '|');
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}: {Exception}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, string exception);
}
