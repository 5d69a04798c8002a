using Google.Protobuf.Reflection;

namespace RadMah.Gateway.Validation;

/// <summary>The fields a request message has, by the names a JSON caller may use for them (the JSON name and the proto name).</summary>
public static class RequestFields
{
    public static FieldDescriptor? Find(MessageDescriptor message, string name) =>
        message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name || f.Name == name);

    /// <summary>The names to list in an error: each field's JSON name.</summary>
    public static string Names(MessageDescriptor message, IEnumerable<FieldDescriptor>? except = null) =>
        string.Join(", ", message.Fields.InDeclarationOrder().Except(except ?? []).Select(f => f.JsonName));

    /// <summary>Whether a field holds a message of the API's own (not a well-known type such as Timestamp, whose JSON is not an object of its fields).</summary>
    public static bool IsOwnMessage(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && !field.IsMap && !field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal);
}
