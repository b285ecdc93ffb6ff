using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Tool;

/// <summary>Builds the CLI's JSON (shared/spec/cli.md): camelCase, plain numbers, null for undefined.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>A number, or null when it is undefined (NaN or infinite).</summary>
    public static JsonNode? Num(double? x) => x is double d && double.IsFinite(d) ? JsonValue.Create(d) : null;

    public static JsonObject Cells(PairCells cells, PairCells? rows = null, bool quarters = false)
    {
        var o = new JsonObject();
        var rowCells = rows?.Named().ToDictionary(c => c.Name, c => c.Cell.N);
        foreach (var (name, cell) in cells.Named())
        {
            var c = new JsonObject { ["n"] = cell.N, ["events"] = cell.Events };
            if (quarters && rowCells is not null) c["quarters"] = rowCells[name];
            o[name] = c;
        }
        return o;
    }

    public static JsonObject Did(WaldEstimate rd) => new()
    {
        ["estimate"] = Num(rd.Estimate), ["stdError"] = Num(rd.StdError),
        ["ciLower"] = Num(rd.CiLower), ["ciUpper"] = Num(rd.CiUpper), ["pValue"] = Num(rd.PValue),
    };

    public static JsonNode? LogOdds(WaldEstimate? lo) => lo is null ? null : new JsonObject
    {
        ["estimate"] = Num(lo.Estimate), ["stdError"] = Num(lo.StdError), ["pValue"] = Num(lo.PValue),
        ["ciLower"] = Num(lo.CiLower), ["ciUpper"] = Num(lo.CiUpper),
    };

    public static JsonObject BaseCount(BaseCountChange b) => new()
    {
        ["pilotChange"] = Num(b.PilotChange), ["comparisonChange"] = Num(b.ComparisonChange), ["difference"] = Num(b.Difference),
    };

    public static JsonArray Warnings(IEnumerable<string> warnings) => new(warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());

    /// <summary>The ledger entries; data-error entries carry their first 1,000 line numbers.</summary>
    public static JsonArray Exclusions(IEnumerable<ExclusionEntry> entries)
    {
        var a = new JsonArray();
        foreach (var e in entries)
        {
            var o = new JsonObject { ["analysis"] = e.Analysis, ["reason"] = e.Reason, ["rows"] = e.Rows };
            if (e.Lines.Count > 0)
            {
                o["lines"] = new JsonArray(e.Lines.Take(1000).Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
                if (e.Lines.Count > 1000) o["linesNotShown"] = e.Lines.Count - 1000;
            }
            a.Add(o);
        }
        return a;
    }

    /// <summary>The output of <c>journeys</c> and <c>referrals</c>: per pair, per outcome, cells and DiD; then the ledger.</summary>
    public static JsonObject RecordLevel(EvaluationResult result, IEnumerable<ExclusionEntry> extraExclusions)
    {
        var pairs = new JsonArray();
        foreach (var pair in result.Pairs)
        {
            var outcomes = new JsonObject();
            foreach (var (name, o) in pair.Outcomes)
                outcomes[name] = new JsonObject
                {
                    ["cells"] = Cells(o.Cells),
                    ["did"] = Did(o.Did.RiskDifference),
                    ["warnings"] = Warnings(o.Did.Warnings),
                };
            pairs.Add(new JsonObject { ["name"] = pair.Name, ["outcomes"] = outcomes });
        }
        return new JsonObject { ["pairs"] = pairs, ["exclusions"] = Exclusions(result.Exclusions.Entries.Concat(extraExclusions)) };
    }

    /// <summary>The output of <c>aggregate</c>.</summary>
    public static JsonObject Aggregate(EvaluationResult result)
    {
        var pairs = new JsonArray();
        foreach (var pair in result.Pairs)
        {
            var o = pair.Outcomes[OutcomeNames.Aggregate];
            pairs.Add(new JsonObject
            {
                ["name"] = pair.Name,
                ["cells"] = Cells(o.Cells, o.CellRows, quarters: true),
                ["did"] = Did(o.Did.RiskDifference),
                ["logOddsInteraction"] = LogOdds(o.Did.LogOddsInteraction),
                ["baseCount"] = BaseCount(o.Did.BaseCount),
                ["warnings"] = Warnings(o.Did.Warnings),
            });
        }
        return new JsonObject { ["pairs"] = pairs, ["exclusions"] = Exclusions(result.Exclusions.Entries) };
    }

    /// <summary>The output of <c>did --cells</c>.</summary>
    public static JsonObject CellsOnly(IEnumerable<DidResult> results)
    {
        var pairs = new JsonArray();
        foreach (var r in results)
            pairs.Add(new JsonObject
            {
                ["name"] = r.Pair,
                ["cells"] = Cells(r.Cells),
                ["did"] = Did(r.RiskDifference),
                ["logOddsInteraction"] = LogOdds(r.LogOddsInteraction),
                ["baseCount"] = BaseCount(r.BaseCount),
                ["people"] = Num(r.People),
                ["warnings"] = Warnings(r.Warnings),
            });
        return new JsonObject { ["pairs"] = pairs };
    }
}
