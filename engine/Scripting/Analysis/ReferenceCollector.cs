using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// The member chains a function or binding expression reads, rooted at names it does not bind itself:
/// <c>getusers_API.data.results</c> gives <c>["getusers_API","data","results"]</c>, which the page-load planner
/// matches against entity names.
/// </summary>
/// <remarks>
/// Reproduces the acorn implementation exactly, quirks included: a computed segment that is not a string literal
/// truncates the chain to what precedes it (<c>a[i].c</c> gives <c>["a"]</c>, and <c>["i"]</c> on its own); every
/// identifier that is not a property name counts, labels and <c>new.target</c>'s parts too; the root node itself is
/// never counted as a bare identifier, so the expression <c>x</c> alone has no references. Chains are deduplicated
/// and listed in first-seen order.
/// </remarks>
internal static class ReferenceCollector
{
    public static IReadOnlyList<IReadOnlyList<string>> Collect(Node root)
    {
        var bound = BoundNames.Collect(root);
        var references = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(List<string> path)
        {
            // NUL cannot appear in an identifier and is as good a separator as acorn's '.' for string-literal keys.
            if (seen.Add(string.Join('\0', path)))
            {
                references.Add(path);
            }
        }

        AstWalker.Walk(root, (node, parent) =>
        {
            switch (node)
            {
                case MemberExpression member:
                    if (parent is MemberExpression outer && ReferenceEquals(outer.Object, node))
                    {
                        // Part of a longer chain, already read from the top; its computed keys are still walked.
                        return true;
                    }

                    var chain = Chain(member, out var chainRoot);
                    if (chainRoot is Identifier rootName && !bound.Contains(rootName.Name))
                    {
                        chain.Insert(0, rootName.Name);
                        Add(chain);
                    }

                    return true;
                case Identifier identifier when parent is not null:
                    if (!IsPropertyName(identifier, parent) && !bound.Contains(identifier.Name))
                    {
                        Add([identifier.Name]);
                    }

                    return true;
                default:
                    return true;
            }
        });
        return references;
    }

    private static List<string> Chain(MemberExpression top, out Node root)
    {
        var path = new List<string>();
        Node current = top;
        while (current is MemberExpression member)
        {
            if (!member.Computed)
            {
                path.Insert(0, member.Property switch
                {
                    Identifier name => name.Name,
                    PrivateIdentifier name => name.Name,
                    _ => throw new InvalidOperationException($"unexpected non-computed property {member.Property.Type}"),
                });
            }
            else if (member.Property is StringLiteral literal)
            {
                path.Insert(0, literal.Value);
            }
            else
            {
                path.Clear();
            }

            current = member.Object;
        }

        root = current;
        return path;
    }

    // Names that label a property rather than read a variable; the object of a member expression is read through
    // its chain instead.
    private static bool IsPropertyName(Identifier identifier, Node parent) => parent switch
    {
        MemberExpression member =>
            (ReferenceEquals(member.Property, identifier) && !member.Computed) || ReferenceEquals(member.Object, identifier),
        Property property => ReferenceEquals(property.Key, identifier) && !property.Computed && !property.Shorthand,
        ClassProperty classMember => ReferenceEquals(classMember.Key, identifier),
        _ => false,
    };
}
