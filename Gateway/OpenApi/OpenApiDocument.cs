using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;

namespace RadMah.Gateway.OpenApi;

/// <summary>
/// The OpenAPI 3.0 document of the REST surface, derived from the proto files themselves (the
/// google.api.http rules and the messages' json_name fields), so it can never drift from what
/// JSON transcoding serves. The raw download route, which is not transcoded, is added by hand.
/// </summary>
public static partial class OpenApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static JsonObject Build(params Google.Protobuf.Reflection.ServiceDescriptor[] services)
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var service in services)
        {
            foreach (var method in service.Methods)
            {
                var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
                if (rule is null) continue;
                var (verb, template) = rule.PatternCase switch
                {
                    HttpRule.PatternOneofCase.Get => ("get", rule.Get),
                    HttpRule.PatternOneofCase.Post => ("post", rule.Post),
                    HttpRule.PatternOneofCase.Put => ("put", rule.Put),
                    HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
                    HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
                    _ => (null, null),
                };
                if (verb is null) continue;
                var pathParameters = PathParameter().Matches(template!).Select(m => m.Groups[1].Value).ToHashSet();
                var operation = new JsonObject
                {
                    ["operationId"] = method.Name,
                    ["tags"] = new JsonArray(service.Name),
                    ["summary"] = method.Name,
                    ["parameters"] = new JsonArray(method.InputType.Fields.InFieldNumberOrder()
                        .Where(f => pathParameters.Contains(f.Name) || (rule.Body != "*" && f.FieldType != FieldType.Message))
                        .Select(f => (JsonNode)new JsonObject
                        {
                            ["name"] = f.JsonName,
                            ["in"] = pathParameters.Contains(f.Name) ? "path" : "query",
                            ["required"] = pathParameters.Contains(f.Name),
                            ["schema"] = FieldSchema(f, schemas),
                        }).ToArray()),
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject
                        {
                            ["description"] = "OK",
                            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(method.OutputType, schemas) } },
                        },
                        ["default"] = ErrorResponse(),
                    },
                    ["security"] = new JsonArray(new JsonObject { ["ApiKey"] = new JsonArray() }),
                };
                if (rule.Body == "*")
                    operation["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(method.InputType, schemas) } },
                    };
                if (method.Name == "CreateJob")
                    operation["parameters"]!.AsArray().Add(new JsonObject
                    {
                        ["name"] = Grains.Interfaces.Submission.IdempotencyKeys.Header,
                        ["in"] = "header",
                        ["required"] = false,
                        ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = Grains.Interfaces.Submission.IdempotencyKeys.MaxLength },
                        ["description"] = "Any unique string (a UUID): sent again with the same body within 24 h, it returns the job it created instead of creating another; with a different body, 409.",
                    });
                var path = PathParameter().Replace(template!, m => "{" + method.InputType.FindFieldByName(m.Groups[1].Value).JsonName + "}");
                if (paths[path] is not JsonObject item) paths[path] = item = new JsonObject();
                item[verb] = operation;
            }
        }
        paths["/v1/artifacts/{artifact_id}/content"] = new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["operationId"] = "DownloadArtifactContent",
                ["tags"] = new JsonArray("Jobs"),
                ["summary"] = "An artifact's bytes, streamed; Range requests are honoured. The SHA-256 comes in X-Content-SHA256, Repr-Digest and the ETag.",
                ["parameters"] = new JsonArray(new JsonObject { ["name"] = "artifact_id", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } }),
                ["responses"] = new JsonObject
                {
                    ["200"] = new JsonObject { ["description"] = "The bytes", ["content"] = new JsonObject { ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } } },
                    ["206"] = new JsonObject { ["description"] = "The requested range" },
                    ["default"] = ErrorResponse(),
                },
                ["security"] = new JsonArray(new JsonObject { ["ApiKey"] = new JsonArray() }),
            },
        };
        paths[Services.JobWatchEndpoint.Route] = new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["operationId"] = "WatchJobEvents",
                ["tags"] = new JsonArray("Jobs"),
                ["summary"] = "Server-sent events: the job now, then every change until it is succeeded, failed or canceled (event \"job\", data as GetJob returns it, id its version); a comment line every 15 s while nothing changes.",
                ["parameters"] = new JsonArray(new JsonObject { ["name"] = "job_id", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } }),
                ["responses"] = new JsonObject
                {
                    ["200"] = new JsonObject { ["description"] = "The event stream", ["content"] = new JsonObject { ["text/event-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } } },
                    ["default"] = ErrorResponse(),
                },
                ["security"] = new JsonArray(new JsonObject { ["ApiKey"] = new JsonArray() }),
            },
        };
        // The upload is a raw streamed body, outside transcoding; documented by hand like the download.
        if (paths[Services.DatasetUploadEndpoint.Path] is not JsonObject datasets) paths[Services.DatasetUploadEndpoint.Path] = datasets = new JsonObject();
        datasets["post"] = new JsonObject
        {
            ["operationId"] = "UploadDataset",
            ["tags"] = new JsonArray("Datasets"),
            ["summary"] = "Uploads a dataset (CSV, TSV, Parquet, Arrow IPC or JSON Lines): the body is the file, streamed. Free plans take up to 100 MB, pro 10 GB, enterprise 100 GB.",
            ["parameters"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string" }, ["description"] = "file name; \"dataset\" when absent" },
                new JsonObject { ["name"] = "format", ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("csv", "tsv", "parquet", "arrow", "jsonl", "json", "arff") }, ["description"] = "detected from the content when absent" }),
            ["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } },
            },
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "The dataset", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(V1.Dataset.Descriptor, schemas) } } },
                ["413"] = new JsonObject { ["description"] = "Larger than the plan allows" },
                ["default"] = ErrorResponse(),
            },
            ["security"] = new JsonArray(new JsonObject { ["ApiKey"] = new JsonArray() }),
        };
        schemas["Error"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["code"] = new JsonObject { ["type"] = "integer", ["description"] = "HTTP status" },
                        ["status"] = new JsonObject { ["type"] = "string", ["description"] = "INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, …" },
                        ["message"] = new JsonObject { ["type"] = "string" },
                        ["details"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "google.rpc details, e.g. BadRequest field violations" },
                    },
                },
            },
        };
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "RadMah API", ["version"] = "v1", ["description"] = "Synthetic-data jobs. The same API is served as gRPC (package radmah.v1)." },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject { ["ApiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-API-Key" } },
            },
        };
    }

    private static JsonObject ErrorResponse() => new()
    {
        ["description"] = "An error in the {\"error\": {…}} envelope",
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Error" } } },
    };

    private static JsonObject Reference(MessageDescriptor message, JsonObject schemas)
    {
        if (message.FullName == "google.protobuf.Timestamp") return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        if (!schemas.ContainsKey(message.Name))
        {
            var schema = new JsonObject { ["type"] = "object" };
            schemas[message.Name] = schema;
            var properties = new JsonObject();
            foreach (var field in message.Fields.InFieldNumberOrder()) properties[field.JsonName] = FieldSchema(field, schemas);
            schema["properties"] = properties;
        }
        return new JsonObject { ["$ref"] = "#/components/schemas/" + message.Name };
    }

    private static JsonObject FieldSchema(FieldDescriptor field, JsonObject schemas)
    {
        if (field.IsMap)
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = FieldSchema(field.MessageType.FindFieldByName("value"), schemas) };
        var item = field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.UInt32 or FieldType.Fixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 => new JsonObject { ["type"] = "integer", ["format"] = "int64" },
            FieldType.Double or FieldType.Float => new JsonObject { ["type"] = "number" },
            FieldType.Bool => new JsonObject { ["type"] = "boolean" },
            FieldType.Bytes => new JsonObject { ["type"] = "string", ["format"] = "byte" },
            FieldType.Message => Reference(field.MessageType, schemas),
            _ => new JsonObject { ["type"] = "string" },
        };
        return field.IsRepeated ? new JsonObject { ["type"] = "array", ["items"] = item } : item;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PathParameter();
}
