using System.Net;
using System.Text;

namespace RadMah.Engine.Synthesis.Reports;

/// <summary>The start of the synthesis reports' pages: one style for all, no network needed.</summary>
internal static class ReportPage
{
    public static StringBuilder Begin(string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}")
            .Append("table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;font-size:.9rem}th{background:#f5f5f5}")
            .Append(".score{font-size:2rem;font-weight:600}.low{color:#b00}.charts{display:flex;flex-wrap:wrap;gap:1rem}</style></head><body>\n");
        return html.Append("<h1>").Append(E(title)).Append("</h1>\n");
    }

    public static string E(string s) => WebUtility.HtmlEncode(s);
}
