namespace Evaluation.Stats.Regression.Covariance;

/// <summary>How the small-sample factor G/(G − 1) is chosen for each term of a multi-way cluster covariance.</summary>
public enum ClusterAdjustment
{
    /// <summary>Each term (A, B and A∩B) uses its own number of clusters: R's <c>sandwich::vcovCL(cadjust = TRUE)</c>, the default.</summary>
    PerDimension,
    /// <summary>Every term uses the smallest number of clusters among the dimensions, as Stata's <c>reghdfe</c> and <c>ivreg2</c> do.</summary>
    Smallest,
}

/// <summary>
/// The covariance estimator of a linear or logistic model's coefficients, with bread B = (X'WX)⁻¹ (W = 1 for OLS,
/// the working weights μ(1 − μ) for the logit) and score residuals e (the residual for OLS, y − μ for the logit).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Model</b>: B × σ² for OLS (R's <c>vcov(lm)</c>), B for the logit (<c>vcov(glm)</c>).</item>
/// <item><b>HC0–HC3</b>: B (Σ ω_i x_i x_i') B with ω = e², e² (HC1 then × n/(n − k)), e²/(1 − h), e²/(1 − h)², h the
/// leverage w_i x_i' B x_i: <c>sandwich::vcovHC(type = ...)</c>. Stata's <c>regress, vce(robust)</c> is HC1 and
/// <c>vce(hc2)</c>/<c>vce(hc3)</c> are HC2/HC3; Stata's <c>logit, vce(robust)</c> is HC0 × n/(n − 1).</item>
/// <item><b>Cluster</b> (Cameron, Gelbach and Miller 2011): one or two dimensions. One way: B (Σ_g s_g s_g') B × G/(G − 1),
/// s_g the sum of x_i e_i over cluster g. Two ways: V_A + V_B − V_{A∩B}, each with its own G/(G − 1) (R's
/// <c>vcovCL(cluster = ~ a + b)</c>, cadjust = TRUE) or the smallest G (<see cref="ClusterAdjustment.Smallest"/>).
/// With <see cref="ClusterType"/> HC1 (the default, R's <c>vcovCL</c> default for <c>lm</c> and Stata's
/// <c>regress, vce(cluster)</c>) the whole is then × (n − 1)/(n − k); with HC0 it is not (R's <c>vcovCL</c> default
/// for <c>glm</c>, and Stata's <c>logit, vce(cluster)</c>). A two-way matrix can fail to be positive semi-definite;
/// it is reported as computed (sandwich's <c>fix = FALSE</c>), and a negative variance gives a NaN standard error.</item>
/// </list>
/// </remarks>
public sealed record CovarianceOptions
{
    /// <summary>The model-based covariance.</summary>
    public static CovarianceOptions Model { get; } = new();

    /// <summary>The estimator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not a defined <see cref="CovarianceType"/>.</exception>
    public CovarianceType Type
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Type), value, "Type must be a defined CovarianceType (Model, HC0, HC1, HC2, HC3 or Cluster).");
    } = CovarianceType.Model;

    /// <summary>For <see cref="CovarianceType.Cluster"/>: one or two clusterings, each a label per row (blank labels are not allowed).</summary>
    /// <exception cref="ArgumentNullException">When null (no clusters is an empty list).</exception>
    public IReadOnlyList<IReadOnlyList<string?>> Clusters
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Clusters), "Clusters is a list of clusterings; give an empty list for none.");
    } = [];

    /// <summary>The clusterings' names, for printing (<c>firm</c>, <c>year</c>); optional.</summary>
    /// <exception cref="ArgumentNullException">When null (no names is an empty list).</exception>
    public IReadOnlyList<string> ClusterNames
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(ClusterNames), "ClusterNames is a list of names; give an empty list for none.");
    } = [];

    /// <summary>
    /// For <see cref="CovarianceType.Cluster"/>: HC1 (× (n − 1)/(n − k), the default), HC0 (no such factor), or the
    /// clustered HC2 and HC3 of Bell and McCaffrey (each cluster's residuals multiplied by (I − H_gg)^(−1/2) or
    /// (I − H_gg)⁻¹, H_gg the cluster's block of the hat matrix, as <c>sandwich::vcovCL(type = "HC2"/"HC3")</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When not HC0, HC1, HC2 or HC3.</exception>
    public CovarianceType ClusterType
    {
        get;
        init => field = value is CovarianceType.HC0 or CovarianceType.HC1 or CovarianceType.HC2 or CovarianceType.HC3 ? value
            : throw new ArgumentOutOfRangeException(nameof(ClusterType), value, "ClusterType must be HC0, HC1, HC2 or HC3.");
    } = CovarianceType.HC1;

    /// <summary>For two-way clustering: which G each term's G/(G − 1) uses.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not a defined <see cref="ClusterAdjustment"/>.</exception>
    public ClusterAdjustment Adjustment
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Adjustment), value, "Adjustment must be PerDimension or Smallest.");
    } = ClusterAdjustment.PerDimension;

    /// <summary>A heteroskedasticity-consistent estimator.</summary>
    public static CovarianceOptions Robust(CovarianceType type) =>
        type is CovarianceType.HC0 or CovarianceType.HC1 or CovarianceType.HC2 or CovarianceType.HC3
            ? new CovarianceOptions { Type = type }
            : throw new ArgumentException($"{type} is not one of HC0, HC1, HC2, HC3.", nameof(type));

    /// <summary>A one- or two-way cluster-robust estimator.</summary>
    public static CovarianceOptions Cluster(params IReadOnlyList<string?>[] clusterings) => new() { Type = CovarianceType.Cluster, Clusters = clusterings };

    /// <summary>A short description: <c>HC1</c>, <c>cluster(firm, year; HC1)</c>.</summary>
    public string Describe() => Type == CovarianceType.Cluster
        ? $"cluster({(ClusterNames.Count > 0 ? string.Join(", ", ClusterNames) : $"{Clusters.Count} way")}; {ClusterType}{(Adjustment == ClusterAdjustment.Smallest && Clusters.Count > 1 ? ", smallest G" : "")})"
        : Type.ToString();

    /// <summary>Checks the options against a model of <paramref name="n"/> rows.</summary>
    /// <exception cref="ArgumentException">When clusters are missing, of the wrong length, blank, fewer than two, or more than two ways.</exception>
    internal void Validate(int n)
    {
        if (Type != CovarianceType.Cluster)
        {
            if (Clusters.Count > 0) throw new ArgumentException($"Clusters are given but the covariance is {Type}.");
            return;
        }
        if (Clusters.Count is < 1 or > 2) throw new ArgumentException($"Cluster-robust standard errors take one or two clusterings, not {Clusters.Count}.");
        if (ClusterType is CovarianceType.HC2 or CovarianceType.HC3 && Adjustment == ClusterAdjustment.Smallest && Clusters.Count > 1)
            throw new ArgumentException($"Two-way clustered {ClusterType} is defined with each term's own G (sandwich::vcovCL); the smallest-G convention (Stata's reghdfe) has no {ClusterType} form, so use Adjustment = PerDimension or ClusterType HC0/HC1.");
        foreach (var c in Clusters)
        {
            if (c.Count != n) throw new ArgumentException($"A clustering has {c.Count} labels for {n} rows.");
            for (int i = 0; i < n; i++)
                if (string.IsNullOrEmpty(c[i])) throw new ArgumentException($"The cluster label of row {i + 1} is blank; such rows must be set aside first.");
        }
    }
}
