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

    public Option<string?> Robust { get; } = new("--robust") { Description = "Robust standard errors: hc0, hc1, hc2, hc3, cluster:A or cluster:A,B (two-way), optionally with the cluster type: cluster:A,B:hc0|hc1|hc2|hc3 (hc1 by default)." };

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
        var (type, clusters, clusterType) = ParseRobust(p.GetValue(Robust));
        var text = p.GetValue(Formula);
        var formula = text is null ? null : ModelFormula.Parse(text);
        if (formula is { Response: null }) throw new UsageException($"--formula \"{text}\": the formula needs a response (write y ~ ...).");
        return new Specification(formula, level, type, clusters) { ClusterType = clusterType };
    }

    /// <summary>
    /// Parses <c>--robust</c>: <c>null</c> is the model covariance; <c>cluster:A[,B][:hcN]</c> gives the cluster columns
    /// and, when a suffix is given, the cluster type (HC0–HC3; <c>null</c> keeps the command's default).
    /// </summary>
    internal static (CovarianceType Type, string[] Clusters, CovarianceType? ClusterType) ParseRobust(string? robust)
    {
        if (robust is null) return (CovarianceType.Model, [], null);
        var r = robust.Trim();
        if (Hc(r) is CovarianceType hc) return (hc, [], null);
        if (r.StartsWith("cluster:", StringComparison.OrdinalIgnoreCase))
        {
            var body = r[8..];
            CovarianceType? clusterType = null;
            int colon = body.LastIndexOf(':');
            if (colon >= 0)
            {
                clusterType = Hc(body[(colon + 1)..].Trim());
                body = clusterType is null ? "" : body[..colon];
            }
            var columns = body.Split(',', StringSplitOptions.TrimEntries);
            if (columns.Length is >= 1 and <= 2 && columns.All(c => c.Length > 0) && columns.Distinct().Count() == columns.Length)
                return (CovarianceType.Cluster, columns, clusterType);
        }
        throw new UsageException($"--robust '{robust}': use hc0, hc1, hc2, hc3, cluster:COLUMN or cluster:COLUMN,COLUMN (two-way), optionally followed by :hc0, :hc1, :hc2 or :hc3 (the cluster type)");
    }

    private static CovarianceType? Hc(string text) => text.ToLowerInvariant() switch
    {
        "hc0" => CovarianceType.HC0,
        "hc1" => CovarianceType.HC1,
        "hc2" => CovarianceType.HC2,
        "hc3" => CovarianceType.HC3,
        _ => null,
    };

    /// <summary>The model options after parsing.</summary>
    internal sealed record Specification(ModelFormula? Formula, double Level, CovarianceType Type, string[] Clusters)
    {
        /// <summary>The cluster type given after the columns (<c>cluster:A:hc2</c>); <c>null</c>: HC1.</summary>
        public CovarianceType? ClusterType { get; init; }

        /// <summary>The covariance options on a table read for the model (its cluster columns in the order given).</summary>
        public CovarianceOptions Covariance(ModelTable table) => Type switch
        {
            CovarianceType.Model => CovarianceOptions.Model,
            CovarianceType.Cluster => CovarianceOptions.Cluster(table.Clusters.Select(c => (IReadOnlyList<string?>)c).ToArray())
                with { ClusterNames = Clusters, ClusterType = ClusterType ?? CovarianceType.HC1 },
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
