namespace Evaluation.Stats.Regression.Formula;

/// <summary>
/// A model formula that cannot be used: bad syntax, an unknown column, or an unknown reference level. The message
/// names the character position (1-based) and shows the formula with a caret under it.
/// </summary>
public sealed class FormulaException : ArgumentException
{
    /// <summary>Creates the error for <paramref name="formula"/> at 0-based <paramref name="index"/>.</summary>
    public FormulaException(string formula, int index, string problem)
        : base($"formula, character {Math.Clamp(index, 0, formula.Length) + 1}: {problem}\n  {formula}\n  {new string(' ', Math.Clamp(index, 0, formula.Length))}^")
    {
        Formula = formula;
        Position = Math.Clamp(index, 0, formula.Length) + 1;
        Problem = problem;
    }

    /// <summary>The formula as given.</summary>
    public string Formula { get; }

    /// <summary>The 1-based character position of the problem.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }
}
