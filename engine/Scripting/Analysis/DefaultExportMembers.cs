using Acornima.Ast;
using Jint.Native;
using Jint.Runtime;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>Reads the members of the default-exported object literal: names, kinds and the references functions make.</summary>
internal static class DefaultExportMembers
{
    public static SourceError? Read(ObjectExpression defaultObject, out IReadOnlyList<ModuleMember> members)
    {
        var list = new List<ModuleMember>(defaultObject.Properties.Count);
        members = list;
        foreach (var node in defaultObject.Properties)
        {
            if (node is not Property property)
            {
                return SourceErrors.At(node, "spread is not supported in the default export");
            }

            if (property.Computed)
            {
                return SourceErrors.At(property, "computed member names are not supported in the default export");
            }

            var name = Name(property.Key);
            if (name is null)
            {
                return SourceErrors.At(property, "unsupported member name");
            }

            if (property.Kind is PropertyKind.Get or PropertyKind.Set)
            {
                return SourceErrors.At(property, "getters and setters are not supported in the default export");
            }

            var isFunction = property.Method || property.Value is FunctionExpression or ArrowFunctionExpression;
            list.Add(new ModuleMember(
                name,
                isFunction,
                isFunction && property.Value is IFunction { Async: true },
                isFunction ? ReferenceCollector.Collect(property.Value) : []));
        }

        return null;
    }

    // The key as JavaScript names the property: String(key.value) for literals, so 0x10 is "16" and 1e3 is "1000".
    private static string? Name(Expression key) => key switch
    {
        Identifier identifier => identifier.Name,
        StringLiteral literal => literal.Value,
        NumericLiteral number => TypeConverter.ToString(JsNumber.Create(number.Value)),
        BigIntLiteral bigInt => bigInt.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
