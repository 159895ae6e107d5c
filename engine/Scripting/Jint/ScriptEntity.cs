using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace LowCodeTokens.Engine.Scripting.Jint;

using JsEngine = global::Jint.Engine;

/// <summary>
/// One entity of a session (the page, or a module instance) with its own engine: what global providers build on, and
/// its share of the session's event loop (host operations in flight, timers). Used only under the session's lock.
/// </summary>
internal sealed class ScriptEntity
{
    private JsValue? _then;

    public ScriptEntity(JintScriptSession session, string name, IReadOnlyList<ScriptQuerySpec> queries)
    {
        Session = session;
        Name = name;
        Queries = queries;
        var engine = Engine = session.Limits.CreateEngine();
        // Lazily made globals find their entity here.
        engine.Advanced.HostDefined = this;
        Deadline = engine.Constraints.Find<global::Jint.Constraints.OperationDeadlineConstraint>()!;
    }

    public JintScriptSession Session { get; }

    public string Name { get; }
    public JsEngine Engine { get; }
    /// <summary>The step's time budget and the invocation's deadline, armed by the driver at each step.</summary>
    public global::Jint.Constraints.OperationDeadlineConstraint Deadline { get; }
    public bool IsPage => Name == ScriptEntities.Page;
    public IReadOnlyList<ScriptQuerySpec> Queries { get; }
    public ScriptLimits Limits => Session.Limits;

    /// <summary>Set while widget bindings evaluate: queries and module calls are refused then.</summary>
    public bool WidgetMode { get; set; }

    /// <summary>
    /// Module calls of the page by instance and function: <c>(args, fresh) → promise</c>, <c>fresh</c> skipping page-load
    /// coalescing. A query's re-run after 401 calls them again.
    /// </summary>
    public Dictionary<string, Dictionary<string, Func<JsValue[], bool, JsValue>>> ModuleCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The runtime-held state this engine has made so far, by global name: query objects, objects of functions (module
    /// proxies, exported objects) and widgets. What an idle stateless entity is reduced to (<see cref="EntityState"/>).
    /// </summary>
    public Dictionary<string, ObjectInstance> QueryObjects { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ObjectInstance> FunctionObjects { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ObjectInstance> WidgetObjects { get; } = new(StringComparer.Ordinal);

    public List<HostOperation> Operations { get; } = [];
    public List<ScriptTimer> Timers { get; } = [];
    /// <summary>Completed (and replaced) whenever a drive step of this entity settled something, to wake the other drivers.</summary>
    public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The invocation whose code runs now.</summary>
    public Invocation Current => Session.Current ?? throw new InvalidOperationException("Script code ran outside an invocation.");

    public ClrFunction Function(string name, Func<JsValue, JsValue[], JsValue> body, int length = 0) =>
        new(Engine, name, body, length, PropertyFlag.Configurable);

    /// <summary>A global as a plain assignment makes it (writable, enumerable, configurable), as the Node sandbox did.</summary>
    public void SetGlobal(string name, JsValue value) =>
        Engine.Global.FastSetProperty(name, new PropertyDescriptor(value, PropertyFlag.ConfigurableEnumerableWritable));

    /// <summary>A global made the first time a script reads it (entity-specific: its queries, objects, widgets).</summary>
    public void SetLazyGlobal(string name, Func<JsValue> create) =>
        Engine.Advanced.AddLazyGlobal(name, _ => create(), PropertyFlag.ConfigurableEnumerableWritable);

    /// <summary>
    /// <c>Object.freeze</c> done here rather than through the engine's <c>Object.freeze</c>, which a script may replace and
    /// which costs each engine the initialization of the <c>Object</c> constructor.
    /// </summary>
    public JsValue Freeze(JsValue value)
    {
        if (value is not ObjectInstance o) return value;
        foreach (var (key, descriptor) in o.GetOwnProperties().ToList())
        {
            var frozen = descriptor.IsAccessorDescriptor()
                ? new GetSetPropertyDescriptor(descriptor.Get ?? JsValue.Undefined, descriptor.Set ?? JsValue.Undefined, descriptor.Enumerable, configurable: false)
                : new PropertyDescriptor(descriptor.Value, writable: false, descriptor.Enumerable, configurable: false);
            o.DefineOwnProperty(key, frozen);
        }
        o.PreventExtensions();
        return value;
    }

    public JsObject NewObject() => new(Engine);

    /// <summary>Parses JSON text into this engine; null means undefined.</summary>
    /// <remarks>
    /// Most values crossing into scripts are a single string or number (a token, an expiry time), read here directly; the
    /// rest goes through <see cref="JsonReading"/>.
    /// </remarks>
    public JsValue FromJson(string? json)
    {
        if (json is null) return JsValue.Undefined;
        if (json.Length > 0)
        {
            switch (json[0])
            {
                case '"' when json.Length >= 2 && json[^1] == '"' && json.AsSpan(1, json.Length - 2).IndexOfAny('"', '\\') < 0:
                    return new JsString(json[1..^1]);
                case '-' or (>= '0' and <= '9') when json.AsSpan().IndexOfAnyExcept("0123456789.eE+-") < 0
                    && double.TryParse(json, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n):
                    return JsNumber.Create(n);
            }
            switch (json)
            {
                case "true": return JsBoolean.True;
                case "false": return JsBoolean.False;
                case "null": return JsValue.Null;
            }
        }
        return JsonReading.Parse(this, json);
    }

    public JavaScriptException Error(string message) => new(Engine.Intrinsics.Error, message);

    public JavaScriptException TypeError(string message) => new(Engine.Intrinsics.TypeError, message);

    // Looked up when first needed (constructing it costs each engine memory); a script that replaced RangeError gets an Error.
    public JavaScriptException RangeError(string message) =>
        new(Engine.Global.Get("RangeError") as global::Jint.Native.Error.ErrorConstructor ?? Engine.Intrinsics.Error, message);

    /// <summary>An <c>Error</c> object, not thrown (for rejections).</summary>
    public JsValue NewError(string message) => Engine.Construct(Engine.Intrinsics.Error, [message]);

    public (JsValue Promise, Action<JsValue> Resolve, Action<JsValue> Reject) NewPromise()
    {
        var (promise, resolve, reject) = Engine.Advanced.RegisterPromise();
        return (promise, resolve, reject);
    }

    public JsValue Resolved(JsValue value)
    {
        var (promise, resolve, _) = NewPromise();
        resolve(value);
        return promise;
    }

    public JsValue Rejected(JsValue reason)
    {
        var (promise, _, reject) = NewPromise();
        reject(reason);
        return promise;
    }

    /// <summary>Runs <paramref name="onFulfilled"/> once every value has settled (their values in order), else <paramref name="onRejected"/> with the first rejection.</summary>
    public void WhenAll(IReadOnlyList<JsValue> values, Action<JsValue[]> onFulfilled, Action<JsValue> onRejected)
    {
        var results = new JsValue[values.Count];
        var pending = values.Count;
        var failed = false;
        if (pending == 0)
        {
            onFulfilled(results);
            return;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var index = i;
            WhenSettled(values[i], v =>
            {
                results[index] = v;
                if (--pending == 0 && !failed) onFulfilled(results);
                return JsValue.Undefined;
            }, e =>
            {
                if (!failed) onRejected(e);
                failed = true;
                return JsValue.Undefined;
            });
        }
    }

    public static bool IsThenable(JsValue value) =>
        value is ObjectInstance o && (value.IsPromise() || o.Get("then").IsCallable());

    /// <summary>Runs <paramref name="onFulfilled"/> / <paramref name="onRejected"/> when <paramref name="value"/> settles (at once for a non-promise).</summary>
    /// <returns>The promise <c>then</c> returns, or the callback's value for a non-promise.</returns>
    public JsValue WhenSettled(JsValue value, Func<JsValue, JsValue> onFulfilled, Func<JsValue, JsValue> onRejected)
    {
        if (!IsThenable(value)) return onFulfilled(value);
        var promise = value.IsPromise() ? value : Resolved(value);
        // The engine's own then, reached through a promise it made (not the global Promise, which a script may replace).
        // Taken on first use: capturing it for every engine costs each the initialization of Promise.prototype.
        _then ??= ((ObjectInstance)NewPromise().Promise).Prototype!.Get("then");
        return Engine.Call(_then, promise,
        [
            Function("", (_, a) => onFulfilled(a.Length > 0 ? a[0] : JsValue.Undefined), 1),
            Function("", (_, a) => onRejected(a.Length > 0 ? a[0] : JsValue.Undefined), 1),
        ]);
    }

    /// <summary>Starts .NET work for the current invocation; <paramref name="settle"/> runs in a later drive step, once it completed.</summary>
    public void StartOperation<T>(Func<CancellationToken, Task<T>> work, Action<Task<T>> settle)
    {
        var owner = Current;
        Task<T> task;
        try
        {
            task = work(owner.Deadline);
        }
        catch (Exception e)
        {
            task = Task.FromException<T>(e);
        }
        owner.PendingOperations++;
        Operations.Add(new HostOperation<T>(owner, task, settle));
    }

    /// <summary>What a thrown value says, for messages: an error's message, else its string form.</summary>
    public string MessageOf(JsValue value)
    {
        try
        {
            if (value is ObjectInstance o && o.HasProperty("message")) return TypeConverter.ToString(o.Get("message"));
            return TypeConverter.ToString(value);
        }
        catch (JavaScriptException)
        {
            return "an error that cannot be described";
        }
    }

    /// <summary>Resolves a dotted path from the global object: <c>["JSObject1","fn"]</c> → (owner, target).</summary>
    public (JsValue Owner, JsValue Target) ResolvePath(IReadOnlyList<string> path)
    {
        JsValue owner = JsValue.Undefined;
        JsValue target = Engine.Global;
        foreach (var part in path)
        {
            if ((target.IsNull() || target.IsUndefined())) throw Error($"{string.Join('.', path)} is not defined");
            owner = target;
            target = target is ObjectInstance o ? o.Get(part) : JsValue.Undefined;
        }
        return (owner, target);
    }
}
