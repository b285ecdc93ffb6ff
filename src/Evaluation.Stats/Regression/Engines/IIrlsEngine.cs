namespace Evaluation.Stats.Regression;

/// <summary>
/// The response side of a binomial model: the observed proportion y of each row (0 or 1 for records), the prior
/// weight m (binomial trials or frequency weights; 1 when absent) and an offset added to η (0 when absent).
/// </summary>
internal sealed class BinomialOutcome
{
    internal BinomialOutcome(double[] y, double[]? weights, double[]? offset)
    {
        Y = y;
        Weights = weights;
        Offset = offset;
    }

    /// <summary>The proportion of events per row, in [0, 1].</summary>
    internal double[] Y { get; }

    /// <summary>The prior weights, or null for 1 per row.</summary>
    internal double[]? Weights { get; }

    /// <summary>The offsets, or null for none.</summary>
    internal double[]? Offset { get; }

    internal int Rows => Y.Length;

    internal double WeightOf(int i) => Weights is null ? 1 : Weights[i];

    internal double OffsetOf(int i) => Offset is null ? 0 : Offset[i];

    /// <summary>True for plain 0/1 records: no prior weights and no offset (what the fast engine fits).</summary>
    internal bool IsPlain => Weights is null && Offset is null;
}

/// <summary>
/// What the IRLS loop asks of an engine: at a coefficient vector β (over every design column, 0 for aliased ones),
/// the deviance and the information X'WX and X'Wz, plus what aliasing, separation and the sandwich covariances
/// need. An engine owns no iteration logic: start values, step-halving, convergence, warnings and covariance are
/// the loop's (<see cref="IrlsLoop"/>).
/// </summary>
internal interface IIrlsEngine : IDisposable
{
    /// <summary>The design, row by row (for the separation check, the cluster scores and the ATT).</summary>
    IDesignRows Design { get; }

    /// <summary>Whether the first column is the intercept (all ones).</summary>
    bool HasIntercept { get; }

    /// <summary>
    /// Evaluates the model at <paramref name="beta"/> (at R's starting values μ = (m·y + ½)/(m + 1) when null) and
    /// returns the deviance there; unless <paramref name="information"/> is false, X'WX and X'Wz at that point are then
    /// available from <see cref="Assemble"/>.
    /// </summary>
    double Evaluate(double[]? beta, bool information = true);

    /// <summary>X'WX and X'Wz of the last evaluation over the columns <paramref name="kept"/> (p × p row-major, p).</summary>
    void Assemble(int[] kept, double[] info, double[] rhs);

    /// <summary>The number of fitted probabilities within 1e-10 of 0 or 1 at the last evaluation.</summary>
    long Extreme { get; }

    /// <summary>The columns kept in design order (the others are aliased); called after <c>Evaluate(null)</c>.</summary>
    int[] KeptColumns(double tolerance);

    /// <summary>
    /// The dummy columns of the categorical with the most of them (mutually exclusive 0/1 columns, whose block of
    /// X'WX is diagonal), which the loop may absorb; empty when the engine cannot assemble blocks.
    /// </summary>
    int[] AbsorbableColumns();

    /// <summary>
    /// X'WX and X'Wz of the last evaluation in blocks: A over <paramref name="others"/> (q × q, row-major), B with row l
    /// the cross products of absorbed column <paramref name="absorbed"/>[l] with the others (L × q), the diagonal D of
    /// the absorbed block (L), and the right-hand sides of both blocks.
    /// </summary>
    void AssembleBlocked(int[] others, int[] absorbed, double[] a, double[] b, double[] d, double[] ra, double[] rc);

    /// <summary>The meat Σ s_i s_i' of the HC sandwiches over <paramref name="kept"/> at <paramref name="beta"/>, s_i being row i's score.</summary>
    double[] Meat(double[] beta, int[] kept);
}
