using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Fabrication.Llm;

namespace RadMah.Engine.Tests.Fabrication;

/// <summary>docs/schemas/contract-answer.schema.json is the schema the LLM is asked to follow for fabricate, as the code sends it.</summary>
public class AnswerSchemaTests
{
    [Fact]
    public void The_documented_contract_answer_schema_is_the_one_sent_to_the_llm()
    {
        string? root = null;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null && root is null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RadMah.Orleans.sln"))) root = d.FullName;
        var documented = JsonNode.Parse(File.ReadAllText(Path.Combine(root!, "docs", "schemas", "contract-answer.schema.json")))!.AsObject();
        documented.Remove("$schema");
        documented.Remove("$id");
        documented.Remove("title");
        documented.Remove("description");
        var sent = JsonNode.Parse(JsonSerializer.Serialize(LlmAnswers.ContractSchema))!;
        Assert.True(JsonNode.DeepEquals(documented, sent), $"docs/schemas/contract-answer.schema.json differs from what LlmAnswers sends:\n{sent.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }
}
