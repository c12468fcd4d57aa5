using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class CsvRecordReaderTests
{
    [Fact]
    public void TryRead_HandlesQuotesEscapesLineBreaksAndCrLf()
    {
        var text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,\n";
        using var reader = new CsvRecordReader(new StringReader(text), "t.csv");

        var records = new List<(long Line, string[] Fields)>();
        while (reader.TryRead(out var fields))
        {
            records.Add((reader.RecordLine, fields));
        }

        Assert.Equal(3, records.Count);
        Assert.Equal([1L, 2L, 5L], records.Select(r => r.Line)); // line 4 is blank
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["x, y", "say \"hi\"", "two\nlines"], records[1].Fields);
        Assert.Equal(["last", "", ""], records[2].Fields);
    }

    [Fact]
    public void TryRead_UnclosedQuote_NamesTheLineWhereTheRecordStarts()
    {
        using var reader = new CsvRecordReader(new StringReader("h\nok\n\"open\nstill open\n"), "t.csv");
        Assert.True(reader.TryRead(out _));
        Assert.True(reader.TryRead(out _));

        var ex = Assert.Throws<DatasetFormatException>(() => reader.TryRead(out _));

        Assert.Equal(("t.csv", 3L), (ex.FilePath, ex.LineNumber));
    }

    [Fact]
    public void TryRead_TextAfterAClosingQuote_Throws()
    {
        using var reader = new CsvRecordReader(new StringReader("\"a\"b,c\n"), "t.csv");

        var ex = Assert.Throws<DatasetFormatException>(() => reader.TryRead(out _));

        Assert.Equal(1, ex.LineNumber);
    }
}
