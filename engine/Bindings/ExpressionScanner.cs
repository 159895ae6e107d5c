namespace LowCodeTokens.Engine.Bindings;

/// <summary>Finds where a JS expression embedded in a template ends, skipping strings, template literals and comments.</summary>
internal static class ExpressionScanner
{
    /// <summary>
    /// Scans from <paramref name="pos"/>. With <paramref name="untilDoubleBrace"/> the expression ends at a <c>}}</c>
    /// at brace depth 0 (a binding); otherwise at a single <c>}</c> at depth 0 (a <c>${ }</c> substitution).
    /// Returns the index of that closing brace, or -1 when the source ends first.
    /// </summary>
    public static int FindEnd(string s, int pos, bool untilDoubleBrace)
    {
        int depth = 0;
        int i = pos;
        while (i < s.Length)
        {
            char c = s[i];
            switch (c)
            {
                case '{':
                    depth++;
                    i++;
                    break;
                case '}':
                    if (depth == 0)
                    {
                        if (!untilDoubleBrace) return i;
                        if (i + 1 < s.Length && s[i + 1] == '}') return i;
                        // A lone '}' at depth 0 is a JS syntax error; leave it to the evaluator to report.
                        i++;
                        break;
                    }
                    depth--;
                    i++;
                    break;
                case '"':
                case '\'':
                    i = SkipQuoted(s, i, c);
                    if (i < 0) return -1;
                    break;
                case '`':
                    i = SkipTemplateLiteral(s, i);
                    if (i < 0) return -1;
                    break;
                case '/' when i + 1 < s.Length && s[i + 1] == '/':
                    // A line comment ends at the line's end, which must come before the binding's '}}'.
                    i = s.IndexOfAny(['\n', '\r'], i + 2);
                    if (i < 0) return -1;
                    break;
                case '/' when i + 1 < s.Length && s[i + 1] == '*':
                    int endComment = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (endComment < 0) return -1;
                    i = endComment + 2;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return -1;
    }

    /// <summary>Returns the index after the closing quote, or -1.</summary>
    private static int SkipQuoted(string s, int i, char quote)
    {
        for (i++; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\') { i++; continue; }
            if (c == quote) return i + 1;
            // JS string literals cannot span lines (except via an escaped newline, handled above).
            if (c is '\n' or '\r') return -1;
        }
        return -1;
    }

    /// <summary>Returns the index after the closing backtick, or -1.</summary>
    private static int SkipTemplateLiteral(string s, int i)
    {
        for (i++; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\') { i++; continue; }
            if (c == '`') return i + 1;
            if (c == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                int close = FindEnd(s, i + 2, untilDoubleBrace: false);
                if (close < 0) return -1;
                i = close;
            }
        }
        return -1;
    }
}
