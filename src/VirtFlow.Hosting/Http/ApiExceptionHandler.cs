using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts.Text;

namespace VirtFlow.Hosting.Http;

/// <summary>
/// Turns what a request did wrong into problem details: a body that is not JSON of the right shape (400 naming the
/// field, e.g. <c>$.inputs.n</c>), a body over the limit (413), any other bad request with its status. Anything else
/// is a 500 without internals (logged, one line).
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await ApiProblems.WriteAsync(httpContext, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                    $"the request body is larger than {httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (VIRTFLOW_MAX_INPUT_BYTES / VirtFlow:Server:MaxRequestBodyBytes)").ConfigureAwait(false);
                return true;
            case BadHttpRequestException { InnerException: JsonException json }:
                var field = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
                var message = TerminalText.Safe(FirstSentence(json.Message), 300);
                await ApiProblems.WriteAsync(httpContext, StatusCodes.Status400BadRequest, "Bad Request", $"the request body is not valid at {field}: {message}",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } }).ConfigureAwait(false);
                return true;
            case BadHttpRequestException bad:
                await ApiProblems.WriteAsync(httpContext, bad.StatusCode, "Bad Request", TerminalText.Safe(bad.Message, 300)).ConfigureAwait(false);
                return true;
            default:
                Log.HttpRequestFailed(logger, httpContext.Request.Method, TerminalText.Safe(httpContext.Request.Path.Value ?? "", 200),
                    TerminalText.Safe(exception.Message, 300));
                await ApiProblems.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "Internal Server Error",
                    "the server failed to answer; its log has the reason").ConfigureAwait(false);
                return true;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ");
    }
}
