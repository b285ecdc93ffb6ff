using Evaluation.Stats.Outcomes;
using nietras.SeparatedValues;

namespace Evaluation.Stats.Data;

/// <summary>The block path of <see cref="ModelColumns"/>: a delimited file parsed on every core, block by block.</summary>
internal sealed partial class ModelColumns
{
    /// <summary>
    /// Parses every block into its own <see cref="Collected"/> on every core, then joins them in file order. The
    /// result equals <see cref="LoadRows"/> on the same text: each row goes through the same checks and
    /// <see cref="AddRow"/>; when bad rows stop the read, the first bad row of the file wins over a later one in
    /// another block and over a later unclosed quote; an unclosed quote stops the read in every mode.
    /// </summary>
    private Collected LoadBlocks(DelimitedBlocks blocks)
    {
        var (parts, stop) = blocks.Parse(ParseBlock, p => p.Lines.Count + p.Rejected.Count, p => p.Stop, _options, Environment.ProcessorCount);
        if (_options.OnBadRows == BadRowPolicy.Stop && parts.Select(p => p.FirstBad).FirstOrDefault(b => b is not null) is { } first
            && (stop is null || stop.Line == 0 || first.Line < stop.Line))
            throw new InputFormatException(_source.Name, first.Line, first.Column, first.Message);
        if (stop is not null) throw stop;
        return Join(parts);
    }

    /// <summary>One block's rows; runs on any thread.</summary>
    private Collected ParseBlock(SepReader reader, long lineOffset, int maxRows)
    {
        var c = new Collected(_variables.Length, _clusterColumns.Length, _numericColumns.Length);
        try
        {
            foreach (var row in reader)
            {
                if (DelimitedSource.IsBlank(row)) continue;
                DelimitedSource.Check(row, _source.Name, lineOffset);
                var fields = new Fields(row, lineOffset + DelimitedSource.LineOf(row), -1);
                try
                {
                    _reader.Check(fields);
                    AddRow(fields, c);
                }
                catch (FieldException e)
                {
                    var rejected = new RejectedRow(fields.Line, e.Column, e.Message);
                    if (_options.OnBadRows == BadRowPolicy.Stop) { c.FirstBad = rejected; break; } // nothing after it in this block matters
                    c.Rejected.Add(rejected);
                }
            }
        }
        catch (InputFormatException e)
        {
            c.Stop = e; // the rows before it stay, so a bad row before an unclosed quote is still the first error
        }
        return c;
    }

    /// <summary>The blocks' rows as one table's, in file order.</summary>
    private Collected Join(List<Collected> parts)
    {
        if (parts.Count == 1) return parts[0];
        var all = new Collected(_variables.Length, _clusterColumns.Length, _numericColumns.Length);
        foreach (var p in parts)
        {
            all.Lines.AddRange(p.Lines);
            all.Y.AddRange(p.Y);
            all.Rejected.AddRange(p.Rejected);
            for (int k = 0; k < _variables.Length; k++)
            {
                all.Numbers[k].AddRange(p.Numbers[k]);
                all.Texts[k].AddRange(p.Texts[k]);
                all.HasNumber[k] |= p.HasNumber[k];
                all.FirstText[k] ??= p.FirstText[k];
            }
            for (int k = 0; k < _clusterColumns.Length; k++) all.Clusters[k].AddRange(p.Clusters[k]);
            for (int k = 0; k < _numericColumns.Length; k++) all.Extras[k].AddRange(p.Extras[k]);
        }
        return all;
    }
}
