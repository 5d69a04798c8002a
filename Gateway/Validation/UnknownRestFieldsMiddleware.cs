using System.Text.Json;
using Google.Api;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using RadMah.Gateway.Errors;

namespace RadMah.Gateway.Validation;

/// <summary>
/// Refuses REST calls that carry a field the route does not take, naming it, as Stripe does: a
/// mistyped field ("sed": 7) must not silently fall back to its default. JSON transcoding itself
/// skips unknown JSON members and query parameters, so each transcoded call is checked here against
/// its request message: the body's members (recursively, for messages of the API's own) and the query's
/// parameters (none where the body takes every field). Bodies that are not JSON are left for
/// transcoding to refuse with its own message.
/// </summary>
public sealed class UnknownRestFieldsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var transcoding = context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (transcoding is null || ErrorResponses.IsGrpc(context))
        {
            await next(context);
            return;
        }
        var input = transcoding.MethodDescriptor.InputType;
        if (UnknownQueryParameter(context.Request.Query, input, transcoding.HttpRule) is { } query)
        {
            await RefuseAsync(context, query, $"unknown query parameter '{query}'; {Takes(input, transcoding.HttpRule, query: true)}");
            return;
        }
        if (transcoding.HttpRule.Body == "*" && await UnknownBodyMemberAsync(context, input) is { } member)
        {
            await RefuseAsync(context, member, $"unknown field '{member}' in the request body; {Takes(input, transcoding.HttpRule, query: false)}");
            return;
        }
        await next(context);
    }

    private static string? UnknownQueryParameter(IQueryCollection query, MessageDescriptor input, HttpRule rule)
    {
        foreach (var key in query.Keys)
        {
            // With a body of "*" every field comes from the body: a query parameter sets nothing.
            if (rule.Body == "*") return key;
            var message = input;
            foreach (var part in key.Split('.'))
            {
                var field = message is null ? null : RequestFields.Find(message, part);
                if (field is null) return key;
                message = RequestFields.IsOwnMessage(field) ? field.MessageType : null;
            }
        }
        return null;
    }

    private static async Task<string?> UnknownBodyMemberAsync(HttpContext context, MessageDescriptor input)
    {
        // Held in memory (it is at most the route's limit) and read again by transcoding.
        context.Request.EnableBuffering(bufferThreshold: (int)Math.Min(int.MaxValue, context.Request.ContentLength ?? 256 * 1024));
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Past the route's limit while it arrived (RequestBodyLimits): answered by the envelope middleware.
            throw;
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
        using (document)
            return UnknownMember(document.RootElement, input, "");
    }

    /// <summary>The path of the first member the message has no field for, or null.</summary>
    private static string? UnknownMember(JsonElement element, MessageDescriptor message, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var member in element.EnumerateObject())
        {
            var field = RequestFields.Find(message, member.Name);
            if (field is null) return prefix + member.Name;
            if (!RequestFields.IsOwnMessage(field)) continue;
            var values = field.IsRepeated && member.Value.ValueKind == JsonValueKind.Array ? member.Value.EnumerateArray().ToArray() : [member.Value];
            foreach (var value in values)
                if (UnknownMember(value, field.MessageType, prefix + member.Name + ".") is { } nested) return nested;
        }
        return null;
    }

    private static string Takes(MessageDescriptor input, HttpRule rule, bool query)
    {
        if (query && rule.Body == "*") return "this route reads its fields from the JSON body, not the query.";
        var routeFields = RouteFields(rule).Select(name => RequestFields.Find(input, name)).OfType<FieldDescriptor>().ToArray();
        var names = RequestFields.Names(input, query ? routeFields : null);
        return names.Length == 0 ? "this route takes none." : $"this route takes: {names}.";
    }

    /// <summary>The fields bound by the route template ({job_id}), which the query cannot set again.</summary>
    private static IEnumerable<string> RouteFields(HttpRule rule)
    {
        var template = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => rule.Get,
            HttpRule.PatternOneofCase.Post => rule.Post,
            HttpRule.PatternOneofCase.Put => rule.Put,
            HttpRule.PatternOneofCase.Delete => rule.Delete,
            HttpRule.PatternOneofCase.Patch => rule.Patch,
            _ => "",
        };
        for (var start = template.IndexOf('{'); start >= 0; start = template.IndexOf('{', start + 1))
        {
            var end = template.IndexOfAny(['}', '='], start);
            if (end > start) yield return template[(start + 1)..end];
        }
    }

    private static Task RefuseAsync(HttpContext context, string field, string message) =>
        ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", message, ErrorResponses.FieldViolation(field, message));
}
