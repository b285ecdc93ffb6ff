using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// The model-specification options shared by <c>logit</c> and <c>ols</c> (docs/cli.md): <c>--formula</c>,
/// <c>--level</c> and <c>--robust</c>, their parsing and the JSON pieces common to both. Further options (weights,
/// trials, offsets, links) are added as properties here and read in <see cref="Parse"/>, so both commands get them.
/// </summary>
internal sealed class ModelOptions
{
    public Option<string?> Formula { get; } = new("--formula")
    {
        Description = "An R-style model: \"y ~ pilot*post + age + C(sex, ref='M')\" (+, *, :, -1, C(col), C(col, ref='level')); other columns are ignored.",
    };

    public Option<double> Level { get; } = new("--level") { Description = "The confidence level of the intervals (default 0.95).", DefaultValueFactory = _ => 0.95 };

    public Option<string?> Robust { get; } = new("--robust") { Description = "Robust standard errors: hc0, hc1, hc2, hc3, cluster:A or cluster:A,B (two-way)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Formula);
        command.Add(Level);
        command.Add(Robust);
    }

    /// <summary>What was asked, checked: the formula (or <c>null</c>), the level, and the robust estimator with its cluster columns.</summary>
    public Specification Parse(ParseResult p)
    {
        double level = p.GetValue(Level);
        if (!(level > 0 && level < 1)) throw new UsageException($"--level {level.ToString(CultureInfo.InvariantCulture)}: the confidence level must lie strictly between 0 and 1 (0.95 for 95% intervals).");
        var (type, clusters) = ParseRobust(p.GetValue(Robust));
        var text = p.GetValue(Formula);
        var formula = text is null ? null : ModelFormula.Parse(text);
        if (formula is { Response: null }) throw new UsageException($"--formula \"{text}\": the formula needs a response (write y ~ ...).");
        return new Specification(formula, level, type, clusters);
    }

    /// <summary>Parses <c>--robust</c>: <c>null</c> is the model covariance.</summary>
    internal static (CovarianceType Type, string[] Clusters) ParseRobust(string? robust)
    {
        if (robust is null) return (CovarianceType.Model, []);
        var r = robust.Trim();
        switch (r.ToLowerInvariant())
        {
            case "hc0": return (CovarianceType.HC0, []);
            case "hc1": return (CovarianceType.HC1, []);
            case "hc2": return (CovarianceType.HC2, []);
            case "hc3": return (CovarianceType.HC3, []);
        }
        if (r.StartsWith("cluster:", StringComparison.OrdinalIgnoreCase))
        {
            var columns = r[8..].Split(',', StringSplitOptions.TrimEntries);
            if (columns.Length is >= 1 and <= 2 && columns.All(c => c.Length > 0) && columns.Distinct().Count() == columns.Length)
                return (CovarianceType.Cluster, columns);
        }
        throw new UsageException($"--robust '{robust}': use hc0, hc1, hc2, hc3, cluster:COLUMN or cluster:COLUMN,COLUMN (two-way)");
    }

    /// <summary>The model options after parsing.</summary>
    internal sealed record Specification(ModelFormula? Formula, double Level, CovarianceType Type, string[] Clusters)
    {
        /// <summary>The covariance options on a table read for the model (its cluster columns in the order given).</summary>
        public CovarianceOptions Covariance(ModelTable table) => Type switch
        {
            CovarianceType.Model => CovarianceOptions.Model,
            CovarianceType.Cluster => CovarianceOptions.Cluster(table.Clusters.Select(c => (IReadOnlyList<string?>)c).ToArray()) with { ClusterNames = Clusters },
            _ => CovarianceOptions.Robust(Type),
        };

        /// <summary>Reads the table the formula needs from <paramref name="path"/>.</summary>
        public ModelTable Read(string path, OutcomeKind outcome, ReadOptions read, string analysis, IReadOnlyList<string>? numericColumns = null) =>
            ModelTable.Read(path, Formula!, outcome, Clusters, numericColumns ?? [], read, analysis);
    }

    /// <summary>The fields every model's JSON has after its coefficients: exclusions, the formula, the level, the covariance and timings.</summary>
    internal static void AddCommon(JsonObject o, ModelTable table, CovarianceOptions covariance, double level, double loadSeconds, double fitSeconds)
    {
        o["formula"] = table.Formula.Text;
        o["level"] = JsonOutput.Num(level);
        o["covariance"] = covariance.Type.ToString();
        o["covarianceDetail"] = covariance.Describe();
        o["inputRows"] = table.InputRows;
        o["exclusions"] = JsonOutput.Exclusions(table.Exclusions);
        o["timing"] = new JsonObject { ["loadSeconds"] = JsonOutput.Num(loadSeconds), ["fitSeconds"] = JsonOutput.Num(fitSeconds) };
    }

    /// <summary>The rows set aside, for the text output.</summary>
    internal static string ExclusionText(ModelTable table, int n) =>
        (table.Exclusions.Count > 0 ? "\nRows set aside:\n" + string.Join("\n", table.Exclusions.Select(e => $"  {e.Reason}: {e.Rows:N0}")) + "\n" : "") +
        $"\nn = {n:N0} of {table.InputRows:N0} input rows\n";
}
