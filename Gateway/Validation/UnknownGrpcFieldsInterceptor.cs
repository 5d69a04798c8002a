using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway.Validation;

/// <summary>
/// Refuses gRPC requests whose message carries fields this API does not define (a mistyped or newer
/// client): the binary wire keeps them as unknown fields, which the generated code would otherwise
/// drop silently. JSON transcoding never produces unknown fields (<see cref="UnknownRestFieldsMiddleware"/>
/// checks REST calls).
/// </summary>
public sealed class UnknownGrpcFieldsInterceptor : Interceptor
{
    /// <summary>Generated messages keep unknown fields in a private field of this name; the runtime offers no other access.</summary>
    private const string UnknownFieldsMember = "_unknownFields";

    private static readonly ConcurrentDictionary<Type, FieldInfo?> UnknownFieldsOf = new();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    private static void Check(object request)
    {
        if (request is IMessage message && FirstUnknown(message, "") is { } unknown)
            throw new RadMahException(RadMahException.InvalidArgument,
                $"the request carries field number {unknown}, which {message.Descriptor.Name} does not define; fields: {RequestFields.Names(message.Descriptor)}.", unknown);
    }

    /// <summary>The path of the first unknown field ("7", or "params.7" inside a nested message), or null.</summary>
    private static string? FirstUnknown(IMessage message, string prefix)
    {
        var member = UnknownFieldsOf.GetOrAdd(message.GetType(), t => t.GetField(UnknownFieldsMember, BindingFlags.Instance | BindingFlags.NonPublic));
        if (member?.GetValue(message) is UnknownFieldSet set && FirstFieldNumber(set) is { } number) return prefix + number;
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder().Where(RequestFields.IsOwnMessage))
        {
            var value = field.Accessor.GetValue(message);
            var items = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<IMessage>() : value is IMessage single ? [single] : [];
            foreach (var item in items)
                if (FirstUnknown(item, prefix + field.JsonName + ".") is { } nested) return nested;
        }
        return null;
    }

    private static int? FirstFieldNumber(UnknownFieldSet set)
    {
        var bytes = new byte[set.CalculateSize()];
        var output = new CodedOutputStream(bytes);
        set.WriteTo(output);
        output.Flush();
        var tag = new CodedInputStream(bytes).ReadTag();
        return tag == 0 ? null : WireFormat.GetTagFieldNumber(tag);
    }
}
