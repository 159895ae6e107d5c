namespace LowCodeTokens.Engine.Queries;

/// <summary>A response body read within the size limit: its text and its <c>Q.data</c> JSON, or that it was too large.</summary>
internal sealed record QueryResponseBody(string Text, string DataJson, bool TooLarge);
