using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Linear;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Every option of the regression options types is checked when it is set: a bad value throws an ArgumentException
/// that names the option and says what it must be, before any fit starts.
/// </summary>
public class OptionsValidationTests
{
    public static TheoryData<string, Func<object>, string> Bad => new()
    {
        { "ConfidenceLevel", () => new LogisticOptions { ConfidenceLevel = 0 }, "between 0 and 1" },
        { "ConfidenceLevel", () => new LogisticOptions { ConfidenceLevel = 1 }, "between 0 and 1" },
        { "ConfidenceLevel", () => new LogisticOptions { ConfidenceLevel = double.NaN }, "between 0 and 1" },
        { "Tolerance", () => new LogisticOptions { Tolerance = 0 }, "positive and finite" },
        { "Tolerance", () => new LogisticOptions { Tolerance = double.PositiveInfinity }, "positive and finite" },
        { "Tolerance", () => new LogisticOptions { Tolerance = double.NaN }, "positive and finite" },
        { "MaxIterations", () => new LogisticOptions { MaxIterations = 0 }, "at least 1" },
        { "MaxDegreeOfParallelism", () => new LogisticOptions { MaxDegreeOfParallelism = -1 }, "positive number of threads" },
        { "AliasTolerance", () => new LogisticOptions { AliasTolerance = 0 }, "(0, 1)" },
        { "Implementation", () => new LogisticOptions { Implementation = (Implementation)7 }, "Fast or Reference" },
        { "Link", () => new LogisticOptions { Link = (BinomialLink)7 }, "BinomialLink" },
        { "Covariance", () => new LogisticOptions { Covariance = (CovarianceType)42 }, "CovarianceType" },
        { "ConfidenceLevel", () => new LinearOptions { ConfidenceLevel = 1.5 }, "between 0 and 1" },
        { "ConfidenceLevel", () => new LinearOptions { ConfidenceLevel = double.NaN }, "between 0 and 1" },
        { "AliasTolerance", () => new LinearOptions { AliasTolerance = 1 }, "(0, 1)" },
        { "Implementation", () => new LinearOptions { Implementation = (Implementation)7 }, "Fast or Reference" },
        { "MaxDegreeOfParallelism", () => new LinearOptions { MaxDegreeOfParallelism = -2 }, "positive number of threads" },
        { "Covariance", () => new LinearOptions { Covariance = null! }, "CovarianceOptions.Model" },
        { "Type", () => new CovarianceOptions { Type = (CovarianceType)42 }, "defined CovarianceType" },
        { "ClusterType", () => new CovarianceOptions { ClusterType = CovarianceType.Cluster }, "HC0, HC1, HC2 or HC3" },
        { "ClusterType", () => new CovarianceOptions { ClusterType = CovarianceType.Model }, "HC0, HC1, HC2 or HC3" },
        { "Clusters", () => new CovarianceOptions { Clusters = null! }, "empty list" },
        { "ClusterNames", () => new CovarianceOptions { ClusterNames = null! }, "empty list" },
        { "Adjustment", () => new CovarianceOptions { Adjustment = (ClusterAdjustment)9 }, "PerDimension or Smallest" },
        { "type", () => CovarianceOptions.Robust(CovarianceType.Cluster), "HC0, HC1, HC2, HC3" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_option_throws_naming_it_and_why(string option, Func<object> make, string why)
    {
        var e = Assert.ThrowsAny<ArgumentException>(make);
        Assert.Equal(option, e.ParamName);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Good_options_keep_their_values()
    {
        var l = new LinearOptions { ConfidenceLevel = 0.9, AliasTolerance = 1e-9, MaxDegreeOfParallelism = 2, Implementation = Implementation.Reference, Covariance = CovarianceOptions.Robust(CovarianceType.HC3) };
        Assert.Equal((0.9, 1e-9, 2, Implementation.Reference, CovarianceType.HC3), (l.ConfidenceLevel, l.AliasTolerance, l.MaxDegreeOfParallelism, l.Implementation, l.Covariance.Type));
        Assert.Equal(0.95, LinearOptions.Default.ConfidenceLevel);
        Assert.Equal(CovarianceType.Model, LinearOptions.Default.Covariance.Type);
        var c = new CovarianceOptions { Type = CovarianceType.Cluster, ClusterType = CovarianceType.HC3, Adjustment = ClusterAdjustment.Smallest };
        Assert.Equal((CovarianceType.HC3, ClusterAdjustment.Smallest), (c.ClusterType, c.Adjustment));
    }
}
