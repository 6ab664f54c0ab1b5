using System.Collections.Concurrent;
using VirtFlow.Engine.Activities.BuiltIn;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Activities;

/// <summary>
/// The activities an engine knows, by <c>type:</c> name: shared instances, or factories called for every
/// execution. Also the catalog the validator, the JSON Schema and the designer read. Thread-safe.
/// </summary>
public sealed class ActivityRegistry : IActivityCatalog
{
    private readonly ConcurrentDictionary<string, Registration> _entries = new(StringComparer.Ordinal);

    /// <summary>A registry holding every built-in activity: log, script, setVariable, fail, delay, waitEvent, http, call, message.send.</summary>
    /// <param name="httpClient">The client of the <c>http</c> activity; by default an <see cref="HttpClient"/> from the engine's services, else a shared one.</param>
    public static ActivityRegistry CreateDefault(HttpClient? httpClient = null) =>
        new ActivityRegistry()
            .Register(new LogActivity())
            .Register(new ScriptActivity())
            .Register(new SetVariableActivity())
            .Register(new FailActivity())
            .Register(new DelayActivity())
            .Register(new WaitEventActivity())
            .Register(new HttpActivity(httpClient))
            .Register(new CallActivity())
            .Register(new MessageSendActivity())
            .Register(new LimitAcquireActivity())
            .Register(new LimitReleaseActivity());

    /// <summary>Registers a shared (thread-safe, stateless) activity under its descriptor's type.</summary>
    /// <param name="activity">The activity.</param>
    /// <param name="replace">Replace an activity registered under the same type instead of throwing.</param>
    public ActivityRegistry Register(IActivity activity, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Add(activity.Descriptor, new Registration(activity.Descriptor, activity, null), replace);
    }

    /// <summary>Registers a factory, called with the engine's services for every execution (activities with per-call dependencies).</summary>
    public ActivityRegistry Register(ActivityDescriptor descriptor, Func<IServiceProvider, IActivity> factory, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(factory);
        return Add(descriptor, new Registration(descriptor, null, factory), replace);
    }

    /// <inheritdoc />
    public ActivityDescriptor? Find(string type) => _entries.TryGetValue(type, out var r) ? r.Descriptor : null;

    /// <inheritdoc />
    public IEnumerable<ActivityDescriptor> All => _entries.Values.Select(r => r.Descriptor).OrderBy(d => d.Type, StringComparer.Ordinal);

    /// <summary>The activity for <paramref name="type"/>, or null when none is registered.</summary>
    public IActivity? Resolve(string type, IServiceProvider services)
    {
        if (!_entries.TryGetValue(type, out var r)) return null;
        return r.Instance ?? r.Factory!(services);
    }

    private ActivityRegistry Add(ActivityDescriptor descriptor, Registration registration, bool replace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(descriptor.Type);
        if (StepTypes.IsStructural(descriptor.Type))
            throw new ArgumentException($"'{descriptor.Type}' is a control-flow step type, not an activity name", nameof(descriptor));
        if (replace) _entries[descriptor.Type] = registration;
        else if (!_entries.TryAdd(descriptor.Type, registration))
            throw new InvalidOperationException($"an activity of type '{descriptor.Type}' is already registered");
        return this;
    }

    private sealed record Registration(ActivityDescriptor Descriptor, IActivity? Instance, Func<IServiceProvider, IActivity>? Factory);
}
