using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Engine.Webhooks;

/// <summary>Takes an event for delivery to the app's webhooks; returns at once.</summary>
internal interface IWebhookQueue
{
    void Enqueue(TokenEvent tokenEvent);
}
