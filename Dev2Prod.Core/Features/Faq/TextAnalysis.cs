using System.Globalization;
using System.Text;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// The lexical side of the classifier: normalisation, tokens, a light stemmer and edit distance. Chat text is
/// short, lower-case, full of abbreviations ("u", "pls", "k8s") and typos, and the seed is written the same way,
/// so both go through the same steps.
/// </summary>
internal static class TextAnalysis
{
    // Multi-character technical terms that the tokenizer would otherwise tear apart.
    private static readonly (string From, string To)[] Phrases =
    [
        ("ci/cd", " cicd "), ("ci-cd", " cicd "), ("c#", " csharp "), ("f#", " fsharp "), ("c++", " cplusplus "),
        (".net", " dotnet "), ("asp.net", " aspnet "), ("node.js", " nodejs "), ("next.js", " nextjs "),
        ("vue.js", " vuejs "), ("react.js", " react "), ("t&m", " tandm "), ("ui/ux", " ui ux "), ("e-mail", " email "),
        ("on-prem", " onprem "), ("white-label", " whitelabel "), ("white label", " whitelabel "),
        ("pen test", " pentest "), ("pen-test", " pentest "), ("k8s", " kubernetes "),
    ];

    // Chat shorthand -> the word the seed uses. Applied to whole tokens only.
    private static readonly Dictionary<string, string> Shorthand = new(StringComparer.Ordinal)
    {
        ["u"] = "you", ["ya"] = "you", ["yu"] = "you", ["ur"] = "your", ["r"] = "are", ["pls"] = "please",
        ["plz"] = "please", ["thx"] = "thanks", ["thnx"] = "thanks", ["ty"] = "thanks", ["wat"] = "what",
        ["wht"] = "what", ["whats"] = "what", ["hw"] = "how", ["ppl"] = "people", ["msg"] = "message",
        ["info"] = "information", ["pic"] = "picture", ["gonna"] = "going", ["wanna"] = "want", ["gimme"] = "give",
        ["cuz"] = "because", ["coz"] = "because", ["tho"] = "though", ["abt"] = "about", ["dev"] = "developer",
        ["devs"] = "developers", ["approx"] = "approximately", ["asap"] = "soon", ["mins"] = "minutes",
        ["hrs"] = "hours", ["hr"] = "hour", ["yrs"] = "years", ["b4"] = "before", ["n"] = "and", ["im"] = "i",
        ["ive"] = "i", ["convo"] = "conversation", ["biz"] = "business", ["govt"] = "government",
    };

    /// <summary>Lower-cased, accents folded, typographic quotes made plain, technical terms joined.</summary>
    public static string Normalise(string text)
    {
        var lower = text.Trim().ToLowerInvariant()
            .Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u201C', '"').Replace('\u201D', '"')
            .Replace('\u2013', '-').Replace('\u2014', '-');
        var folded = FoldAccents(lower);
        foreach (var (from, to) in Phrases)
        {
            folded = folded.Replace(from, to, StringComparison.Ordinal);
        }

        return folded;
    }

    /// <summary>Words of the normalised text: letters and digits; apostrophes vanish ("what's" -> "whats").</summary>
    public static List<string> Words(string normalised)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in normalised)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (c == '\'' && current.Length > 0)
            {
                // "what's" -> "whats", "don't" -> "dont": one token, as in the seed.
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>The canonical spelling of a shorthand token ("u" -> "you"), or the token itself.</summary>
    public static string ExpandShorthand(string word) => Shorthand.TryGetValue(word, out var expanded) ? expanded : word;

    /// <summary>A deliberately light suffix stripper: enough to match "projects"/"project", "hosting"/"host".</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            return UndoubleConsonant(word[..^3]);
        }

        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4)
        {
            return UndoubleConsonant(word[..^2]);
        }

        if (word.EndsWith("ly", StringComparison.Ordinal) && word.Length > 5)
        {
            return word[..^2];
        }

        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)
            && !word.EndsWith("is", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    /// <summary>
    /// Optimal-string-alignment Damerau-Levenshtein distance (insert, delete, substitute, swap two neighbours),
    /// giving up early once it exceeds <paramref name="max"/> (returns max + 1 then).
    /// </summary>
    public static int DamerauLevenshtein(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }

        if (b.Length > 62)
        {
            return max + 1;
        }

        Span<int> previous2 = stackalloc int[b.Length + 1];
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > max)
            {
                return max + 1;
            }

            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }

        return Math.Min(previous[b.Length], max + 1);
    }

    /// <summary>How many edits a word of this length may have and still count as a typo of a known word.</summary>
    public static int AllowedTypos(int length) => length switch
    {
        < 5 => 0,
        < 9 => 1,
        _ => 2,
    };

    private static string UndoubleConsonant(string stem) =>
        stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;

    private static string FoldAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
