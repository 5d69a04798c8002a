using System.Text;
using Apache.Arrow;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Tests.Datasets;

/// <summary>Reads a whole (small) table back as rows of strings, nulls as null, for assertions.</summary>
public static class Tables
{
    public static async Task<(ITableReader Reader, List<string> Columns, List<string?[]> Rows)> ReadAsync(byte[] bytes, DatasetFormat? format = null,
        string? name = null, TableReadOptions? options = null)
    {
        var detected = format ?? DatasetFormatDetector.Detect(bytes, name);
        var reader = await TableReaders.OpenAsync(new MemoryStream(bytes), detected, name, options, TestContext.Current.CancellationToken);
        var columns = new List<string>();
        var rows = new List<string?[]>();
        await foreach (var batch in reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            using (batch)
            {
                var schema = batch.Data.Schema;
                foreach (var field in schema.FieldsList) if (!columns.Contains(field.Name)) columns.Add(field.Name);
                for (var r = 0; r < batch.RowCount; r++)
                {
                    var row = new string?[columns.Count];
                    for (var c = 0; c < schema.FieldsList.Count; c++) row[columns.IndexOf(schema.FieldsList[c].Name)] = Cell(batch.Data.Column(c), r);
                    rows.Add(row);
                }
            }
        }
        return (reader, columns, rows);
    }

    public static string? Cell(IArrowArray array, int row) => array.IsNull(row) ? null : array switch
    {
        StringArray s => s.GetString(row),
        Int64Array i => i.GetValue(row)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        DoubleArray d => d.GetValue(row)!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        BooleanArray b => b.GetValue(row)!.Value ? "true" : "false",
        TimestampArray t => t.GetTimestamp(row)!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        Date32Array d => d.GetDateOnly(row)!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException(array.GetType().Name),
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
