using System.Globalization;

namespace Evaluation.Stats.Regression.Formula;

/// <summary>
/// A recursive-descent parser of R-style model formulas, <c>y ~ a*b + x - 1</c>. Precedence, lowest first:
/// <c>+</c> and <c>-</c>; <c>*</c>; <c>:</c>; atoms (a column, <c>`a column`</c>, <c>C(col)</c>,
/// <c>C(col, ref='level')</c>, <c>0</c>, <c>1</c>, or a parenthesised expression). Each expression evaluates to an
/// ordered list of terms (sets of variables) and possibly an intercept setting, with R's algebra:
/// <c>a*b</c> is <c>a + b + a:b</c>, <c>(a + b):c</c> is <c>a:c + b:c</c>, <c>- t</c> removes a term, and
/// <c>- 1</c>, <c>+ 0</c> remove the intercept (<c>+ 1</c>, <c>- 0</c> restore it; the last one written wins).
/// </summary>
internal sealed class FormulaParser
{
    private enum Kind { Name, Number, String, Op, End }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    /// <summary>An evaluated expression: terms in order (each variable indices, ascending) and the intercept, if set.</summary>
    private sealed record Value(List<int[]> Terms, bool? Intercept);

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _next;
    internal readonly List<FormulaVariable> Variables = [];

    private FormulaParser(string text)
    {
        _text = text;
        _tokens = Tokenize(text);
    }

    /// <summary>Parses <paramref name="text"/> into its response (or <c>null</c>), variables, terms and intercept.</summary>
    internal static (string? Response, int ResponsePosition, List<FormulaVariable> Variables, List<int[]> Terms, bool Intercept) Parse(string text)
    {
        var p = new FormulaParser(text);
        string? response = null;
        int responsePosition = -1;
        int tilde = p._tokens.FindIndex(t => t is { Kind: Kind.Op, Text: "~" });
        if (tilde >= 0)
        {
            if (tilde != 1 || p._tokens[0].Kind != Kind.Name)
                throw p.Error(tilde == 0 ? p._tokens[0] : p._tokens[1], tilde == 0 ? "the response before '~' is missing" : "the response must be a single column name (write y ~ ..., with backticks around names that are not plain)");
            response = p._tokens[0].Text;
            responsePosition = p._tokens[0].Position;
            p._next = 2;
        }
        if (p.Peek.Kind == Kind.End) throw p.Error(p.Peek, "the right-hand side is empty (write 1 for an intercept-only model)");
        var value = p.Sum();
        if (p.Peek.Kind != Kind.End)
            throw p.Error(p.Peek, p.Peek.Text switch
            {
                "~" => "a formula has one '~'",
                "/" or "^" or "%" or "|" or "$" => $"the operator '{p.Peek.Text}' is not supported (use +, *, :, - and parentheses)",
                _ => $"unexpected '{p.Peek.Text}' (terms are joined by +, *, : or -)",
            });
        // R's order: terms by their number of variables, keeping the written order within each degree; repeats dropped.
        var terms = new List<int[]>();
        foreach (var t in value.Terms)
            if (t.Length > 0 && !terms.Any(u => u.SequenceEqual(t))) terms.Add(t);
        terms = terms.OrderBy(t => t.Length).ToList(); // OrderBy is stable
        if (response is not null && p.Variables.Any(v => v.Name == response))
            throw p.Error(p._tokens[0], $"the response '{response}' is also a term on the right-hand side");
        return (response, responsePosition, p.Variables, terms, value.Intercept ?? true);
    }

    private Token Peek => _tokens[_next];

    private FormulaException Error(Token at, string problem) => new(_text, at.Position, problem);

    // sum := ['-'|'+'] product (('+'|'-') product)*
    private Value Sum()
    {
        Value acc = new([], null);
        bool first = true;
        while (true)
        {
            var op = Peek;
            bool minus = false;
            if (op is { Kind: Kind.Op, Text: "+" or "-" }) { minus = op.Text == "-"; _next++; }
            else if (!first) return acc;
            var rhs = Product();
            acc = minus ? Remove(acc, rhs) : new Value([.. acc.Terms, .. rhs.Terms], rhs.Intercept ?? acc.Intercept);
            first = false;
        }
    }

    private static Value Remove(Value from, Value what)
    {
        var terms = from.Terms.Where(t => !what.Terms.Any(u => u.SequenceEqual(t))).ToList();
        return new Value(terms, what.Intercept is { } i ? !i : from.Intercept);
    }

    // product := interaction ('*' interaction)*: a*b = a + b + a:b
    private Value Product()
    {
        var acc = Interaction();
        while (Peek is { Kind: Kind.Op, Text: "*" })
        {
            var op = Peek;
            _next++;
            var rhs = Interaction();
            NoIntercept(acc, op, "*");
            NoIntercept(rhs, op, "*");
            acc = new Value([.. acc.Terms, .. rhs.Terms, .. Cross(acc.Terms, rhs.Terms)], null);
        }
        return acc;
    }

    // interaction := atom (':' atom)*
    private Value Interaction()
    {
        var acc = Atom();
        while (Peek is { Kind: Kind.Op, Text: ":" })
        {
            var op = Peek;
            _next++;
            var rhs = Atom();
            NoIntercept(acc, op, ":");
            NoIntercept(rhs, op, ":");
            acc = new Value(Cross(acc.Terms, rhs.Terms), null);
        }
        return acc;
    }

    private void NoIntercept(Value v, Token op, string what)
    {
        if (v.Intercept is not null) throw Error(op, $"0 or 1 cannot be an operand of '{what}'");
    }

    private static List<int[]> Cross(List<int[]> a, List<int[]> b)
    {
        var result = new List<int[]>();
        foreach (var x in a)
            foreach (var y in b)
                result.Add(x.Union(y).Order().ToArray());
        return result;
    }

    // atom := NAME | 0 | 1 | C(NAME [, ref = STRING]) | '(' sum ')'
    private Value Atom()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case Kind.Number:
                _next++;
                return t.Text switch
                {
                    "0" => new Value([], false),
                    "1" => new Value([], true),
                    _ => throw Error(t, $"the number {t.Text} is not a term (only 1 and 0, for the intercept, are)"),
                };
            case Kind.Name when t.Text == "C" && _tokens[_next + 1] is { Kind: Kind.Op, Text: "(" }:
                _next += 2;
                return new Value([[CategoricalCall(t)]], null);
            case Kind.Name when _tokens[_next + 1] is { Kind: Kind.Op, Text: "(" }:
                throw Error(t, $"the function '{t.Text}(...)' is not supported (only C(column) and C(column, ref='level'))");
            case Kind.Name:
                _next++;
                return new Value([[Variable(t, categorical: false, null, -1)]], null);
            case Kind.Op when t.Text == "(":
                _next++;
                var inner = Sum();
                Expect(")", "a ')' to close the '(' at character " + (t.Position + 1));
                return inner;
            case Kind.End:
                throw Error(t, "the formula ends where a term was expected");
            default:
                throw Error(t, t.Text is "/" or "^" or "%" or "|" or "." or "$"
                    ? $"the operator '{t.Text}' is not supported (use +, *, :, - and parentheses)"
                    : $"a term was expected, not '{t.Text}'");
        }
    }

    private int CategoricalCall(Token c)
    {
        var name = Peek;
        if (name.Kind != Kind.Name) throw Error(name, "C( must be followed by a column name");
        _next++;
        string? reference = null;
        int refPosition = -1;
        if (Peek is { Kind: Kind.Op, Text: "," })
        {
            _next++;
            var key = Peek;
            if (key.Kind != Kind.Name || key.Text is not ("ref" or "reference" or "base"))
                throw Error(key, "the second argument of C() must be ref='level'");
            _next++;
            Expect("=", "'=' after ref");
            var level = Peek;
            if (level.Kind is not (Kind.String or Kind.Number or Kind.Name)) throw Error(level, "the reference level must be quoted, as ref='level'");
            _next++;
            reference = level.Text;
            refPosition = level.Position;
        }
        Expect(")", $"a ')' to close the C( at character {c.Position + 1}");
        return Variable(name, categorical: true, reference, refPosition);
    }

    private void Expect(string op, string what)
    {
        var t = Peek;
        if (t.Kind != Kind.Op || t.Text != op) throw Error(t, $"expected {what}" + (t.Kind == Kind.End ? ", but the formula ends" : $", not '{t.Text}'"));
        _next++;
    }

    /// <summary>The index of a variable, registering it at its first mention; mentions must agree on the reference level.</summary>
    private int Variable(Token name, bool categorical, string? reference, int refPosition)
    {
        int i = Variables.FindIndex(v => v.Name == name.Text);
        if (i < 0)
        {
            Variables.Add(new FormulaVariable(name.Text, categorical, reference, name.Position, refPosition));
            return Variables.Count - 1;
        }
        var v = Variables[i];
        if (reference is not null && v.Reference is not null && reference != v.Reference)
            throw Error(new Token(Kind.String, reference, refPosition), $"'{name.Text}' has reference level '{v.Reference}' at character {v.ReferencePosition + 1} and '{reference}' here");
        Variables[i] = v with
        {
            Categorical = v.Categorical || categorical,
            Reference = v.Reference ?? reference,
            ReferencePosition = v.Reference is null ? refPosition : v.ReferencePosition,
        };
        return i;
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsLetter(c) || c == '_' || (c == '.' && i + 1 < s.Length && (char.IsLetter(s[i + 1]) || s[i + 1] == '_')))
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.')) i++;
                tokens.Add(new Token(Kind.Name, s[start..i], start));
            }
            else if (char.IsDigit(c))
            {
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
                var text = s[start..i];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new FormulaException(s, start, $"'{text}' is not a number");
                tokens.Add(new Token(Kind.Number, text, start));
            }
            else if (c is '`' or '\'' or '"')
            {
                int end = s.IndexOf(c, i + 1);
                if (end < 0) throw new FormulaException(s, start, $"the {(c == '`' ? "backtick" : "quote")} is not closed");
                if (end == i + 1) throw new FormulaException(s, start, c == '`' ? "an empty column name" : "an empty level");
                tokens.Add(new Token(c == '`' ? Kind.Name : Kind.String, s[(i + 1)..end], start));
                i = end + 1;
            }
            else if (c is '+' or '-' or '*' or ':' or '~' or '(' or ')' or ',' or '=' or '/' or '^' or '%' or '|' or '.' or '$')
            {
                tokens.Add(new Token(Kind.Op, c.ToString(), start));
                i++;
            }
            else throw new FormulaException(s, start, $"the character '{c}' has no meaning here (put column names with such characters in backticks)");
        }
        tokens.Add(new Token(Kind.End, "", s.Length));
        tokens.Add(new Token(Kind.End, "", s.Length)); // one more, so a look-ahead of two never runs off the end
        return tokens;
    }
}

/// <summary>A column named in a formula.</summary>
/// <param name="Name">The column.</param>
/// <param name="Categorical">True when written as <c>C(name)</c> (a text column is categorical anyway).</param>
/// <param name="Reference">The reference level from <c>C(name, ref='level')</c>, or <c>null</c>.</param>
/// <param name="Position">The 0-based character position of its first mention.</param>
/// <param name="ReferencePosition">The 0-based position of the reference level's text, or −1.</param>
public sealed record FormulaVariable(string Name, bool Categorical, string? Reference, int Position, int ReferencePosition);
