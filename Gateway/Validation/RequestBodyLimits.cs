using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using RadMah.Gateway.Errors;

namespace RadMah.Gateway.Validation;

/// <summary>
/// How large a REST request body may be, route by route: a route that takes no body, a small
/// bound (<see cref="GatewayOptions.MaxBodilessRequestBytes"/>); a JSON route,
/// <see cref="GatewayOptions.MaxRequestBodyBytes"/>; an upload, whatever it declares (none: the plan's
/// limit applies as the bytes arrive). A body declared larger is refused before a byte is read; a
/// chunked one is cut off at the bound as it arrives (Kestrel stops reading it), and either way the
/// answer is 413 in the error envelope. Refused bodies therefore never sit in memory.
/// </summary>
public sealed class RequestBodyLimits(RequestDelegate next, GatewayOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // gRPC bounds each message itself (GrpcServiceOptions.MaxReceiveMessageSize).
        if (ErrorResponses.IsGrpc(context) || LimitOf(context) is not { } limit)
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > limit)
        {
            await RefuseAsync(context, limit);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (TakesNoBody(context) && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            // A route that reads no body would leave a chunked one unread; read (and drop) it here, within the bound.
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RefuseAsync(context, limit);
                return;
            }
        }
        await next(context);
    }

    private static bool TakesNoBody(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { HttpRule.Body: "" };

    private long? LimitOf(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared) return declared.MaxRequestBodySize;
        return TakesNoBody(context) ? options.MaxBodilessRequestBytes : options.MaxRequestBodyBytes;
    }

    public static Task RefuseAsync(HttpContext context, long limit) =>
        ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "INVALID_ARGUMENT",
            $"the request body is over this route's limit of {limit:N0} bytes.");
}
