namespace LowCodeTokens.Engine.Bindings;

/// <summary>One <c>{{ }}</c> binding of a query: where it is (<c>url</c>, <c>headers.Authorization</c>, <c>body.client_id</c>, <c>datasource.headers.X</c>) and its expression.</summary>
public sealed record QueryBinding(string FieldPath, string Expression);
