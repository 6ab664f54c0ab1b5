namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// What MassTransit hands the trigger's consumer: nothing but the receive (the consumer reads the raw body itself, so
/// any JSON object a producer sends is judged by the same rules, with one reason per rejection).
/// </summary>
public sealed class TriggerMessage;
