using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// A pre-order walk over an Acornima tree that visits children in the order the acorn implementation did, so that
/// "first seen" (reference order, which forbidden node is reported) stays the same.
/// </summary>
internal static class AstWalker
{
    /// <summary>Visits <paramref name="root"/> and its descendants; <paramref name="visit"/> returns false to skip a node's children.</summary>
    public static void Walk(Node root, Func<Node, Node?, bool> visit)
    {
        // An explicit stack: user code can nest deeply enough to exhaust the thread's stack in a recursive walk.
        var stack = new Stack<(Node Node, Node? Parent)>();
        var children = new List<Node>();
        stack.Push((root, null));
        while (stack.TryPop(out var item))
        {
            if (!visit(item.Node, item.Parent))
            {
                continue;
            }

            children.Clear();
            AddChildren(item.Node, children);
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push((children[i], item.Node));
            }
        }
    }

    private static void AddChildren(Node node, List<Node> children)
    {
        // acorn builds these two nodes out of source order (the label after the body, a case's test after its
        // statements), and its generic walk followed the order in which the properties were assigned.
        switch (node)
        {
            case LabeledStatement labeled:
                children.Add(labeled.Body);
                children.Add(labeled.Label);
                return;
            case SwitchCase switchCase:
                foreach (var statement in switchCase.Consequent)
                {
                    children.Add(statement);
                }

                if (switchCase.Test is not null)
                {
                    children.Add(switchCase.Test);
                }

                return;
        }

        foreach (var child in node.ChildNodes)
        {
            children.Add(child);
        }
    }
}
