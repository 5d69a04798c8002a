using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RadMah.Grains.Tests.Llm;

/// <summary>
/// An OpenAI-compatible chat endpoint on loopback (POST /v1/chat/completions) that replays recorded
/// answers in order: what no LLM can be reached for here. A reply is an answer's text, or a delay
/// longer than the caller's timeout. It keeps every request body, to check what was asked.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _replies = new();

    public sealed record Reply(string? Content, TimeSpan Delay = default);

    public List<JsonNode> Requests { get; } = [];

    public Uri Endpoint { get; }

    private FakeChatServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeChatServer? server = null;
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            lock (server!.Requests) server.Requests.Add(body!);
            if (!server._replies.TryDequeue(out var reply)) return Results.Json(new { error = new { message = "no recorded answer left" } }, statusCode: 500);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, context.RequestAborted);
            return Results.Text(JsonSerializer.Serialize(new
            {
                id = "chatcmpl-" + server.Requests.Count,
                @object = "chat.completion",
                created = 1_765_000_000,
                model = body!["model"]?.GetValue<string>() ?? "test-model",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
            }), "application/json");
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new FakeChatServer(app, new Uri(address.TrimEnd('/') + "/v1"));
        return server;
    }

    /// <summary>The answers to give, in order, to the next calls.</summary>
    public void Script(params Reply[] replies)
    {
        _replies.Clear();
        lock (Requests) Requests.Clear();
        foreach (var r in replies) _replies.Enqueue(r);
    }

    public int Calls
    {
        get { lock (Requests) return Requests.Count; }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
