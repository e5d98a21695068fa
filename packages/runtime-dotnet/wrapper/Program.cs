// The .NET wrapper of docs/protocol.md: compiled together with the function's .cs files into one
// assembly, it connects to the processor's Unix socket, loads the handler class by reflection and
// serves events. Plain C# that builds with Mono's mcs and with the .NET SDK.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Threading;
using Nuclio.Sdk;

namespace Nucleon.Wrapper
{
    public static class Program
    {
        /// <summary>Thrown for what the protocol calls a broken connection.</summary>
        sealed class ProtocolException : Exception
        {
            public ProtocolException(string message) : base(message) { }
        }

        sealed class StartFailure : Exception
        {
            public readonly string Kind;
            public readonly string Detail;
            public StartFailure(string kind, string message, string detail) : base(message) { Kind = kind; Detail = detail; }
        }

        /// <summary>The event the current thread runs, so context.Logger can tag its LOG frames.</summary>
        [ThreadStatic] static uint currentEventId;

        static Socket socket;
        static readonly object sendLock = new object();
        static readonly object stateLock = new object();
        static int inFlight;
        static bool draining;
        static bool drainedSent;
        static Func<Context, Event, object> handler;
        static Context context;
        static Calls calls;

        public static int Main(string[] args)
        {
            try
            {
                return Run();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("nucleon dotnet wrapper: " + e);
                return 2;
            }
        }

        static string Env(string name, string fallback)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(value) ? fallback : value;
        }

        static int Run()
        {
            string socketPath = Env("NUCLEON_WRAPPER_SOCKET", null);
            if (socketPath == null)
            {
                Console.Error.WriteLine("nucleon dotnet wrapper: NUCLEON_WRAPPER_SOCKET is not set; the processor starts this program");
                return 2;
            }
            string functionDir = Env("NUCLEON_FUNCTION_DIR", null);
            if (functionDir != null) Directory.SetCurrentDirectory(functionDir);
            int maxInFlight;
            if (!int.TryParse(Env("NUCLEON_DOTNET_MAX_IN_FLIGHT", "1"), NumberStyles.Integer, CultureInfo.InvariantCulture, out maxInFlight) || maxInFlight < 1) maxInFlight = 1;
            if (maxInFlight > 1)
            {
                int workers, ports;
                ThreadPool.GetMinThreads(out workers, out ports);
                if (workers < maxInFlight) ThreadPool.SetMinThreads(maxInFlight, ports);
            }

            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            var reader = new FrameReader(new BufferedStream(new NetworkStream(socket, false), 65536));

            Send(Frames.EncodeJson(FrameType.Hello, 0, new Dictionary<string, object> {
                { "versions", new object[] { 1 } },
                { "runtime", "dotnet" },
                { "runtimeVersion", RuntimeVersion() },
                { "pid", System.Diagnostics.Process.GetCurrentProcess().Id },
                { "maxInFlight", maxInFlight },
            }));

            var welcomeFrame = reader.Read();
            if (welcomeFrame == null) return 0;
            if (welcomeFrame.Type == FrameType.Terminate) return 1;
            if (welcomeFrame.Type != FrameType.Welcome) throw new ProtocolException("expected WELCOME, got frame type " + welcomeFrame.Type);
            var welcome = welcomeFrame.JsonPayload();
            object version;
            if (!welcome.TryGetValue("version", out version) || Convert.ToInt64(version, CultureInfo.InvariantCulture) != 1)
                throw new ProtocolException("WELCOME chose protocol version " + version + "; this wrapper speaks 1");

            calls = new Calls(reader, Calls.Offered(welcome), Send);
            try
            {
                Load(welcome);
            }
            catch (StartFailure failure)
            {
                Send(Frames.EncodeJson(FrameType.Fatal, 0, new Dictionary<string, object> {
                    { "message", failure.Message }, { "kind", failure.Kind }, { "stack", failure.Detail ?? "" },
                }));
                return 1;
            }
            Send(Frames.EncodeJson(FrameType.Ready, 0, new Dictionary<string, object>()));
            calls.LoopReads = maxInFlight > 1;
            Serve(reader, maxInFlight);
            return 0;
        }

        static string RuntimeVersion()
        {
            var mono = Type.GetType("Mono.Runtime");
            if (mono != null)
            {
                var display = mono.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static);
                if (display != null) return "mono " + display.Invoke(null, null);
            }
            return ".NET " + Environment.Version;
        }

        /// <summary>Finds the class and method that spec.handler names (`nuclio:Main`), builds the context and runs InitContext.</summary>
        static void Load(Dictionary<string, object> welcome)
        {
            string spec = Env("NUCLEON_HANDLER", welcome.ContainsKey("handler") ? Convert.ToString(welcome["handler"], CultureInfo.InvariantCulture) : "");
            int colon = spec.LastIndexOf(':');
            string className = colon > 0 ? spec.Substring(0, colon) : "nuclio";
            string methodName = colon >= 0 ? spec.Substring(colon + 1) : spec;
            if (methodName.Length == 0)
                throw new StartFailure("handler-not-found", "spec.handler \"" + spec + "\" names no method; write it as <class>:<method>, for example nuclio:Main", null);

            Type type = null;
            foreach (var candidate in typeof(Program).Assembly.GetTypes())
            {
                if (candidate.FullName == className || (candidate.Name == className && type == null)) type = candidate;
            }
            if (type == null || type.Namespace == "Nucleon.Wrapper" || type.Namespace == "Nuclio.Sdk")
                throw new StartFailure("handler-not-found", "no class " + className + " in the function's .cs files (spec.handler is " + spec + ")", null);

            MethodInfo method = null;
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var ps = m.GetParameters();
                if (m.Name == methodName && ps.Length == 2 && ps[0].ParameterType == typeof(Context) && ps[1].ParameterType == typeof(Event)) method = m;
            }
            if (method == null)
                throw new StartFailure("handler-not-found", "class " + type.FullName + " has no public method " + methodName +
                    "(Context context, Event eventBase) (spec.handler is " + spec + ")", null);

            object instance = null;
            if (!method.IsStatic)
            {
                try { instance = Activator.CreateInstance(type); }
                catch (TargetInvocationException e) { throw new StartFailure("init", "the constructor of " + type.FullName + " threw: " + e.InnerException.Message, e.InnerException.ToString()); }
                catch (MissingMethodException) { throw new StartFailure("handler-load", "class " + type.FullName + " needs a public constructor without parameters", null); }
            }
            handler = Bind(method, instance);

            context = new Context();
            context.Name = Env("NUCLEON_FUNCTION_NAME", welcome.ContainsKey("functionName") ? Convert.ToString(welcome["functionName"], CultureInfo.InvariantCulture) : "");
            int workerId;
            int.TryParse(Env("NUCLEON_WORKER_ID", "0"), NumberStyles.Integer, CultureInfo.InvariantCulture, out workerId);
            context.WorkerId = workerId;
            context.Logger.Sink = SendLog;
            context.Platform.Caller = (name, ev, timeout) => calls.CallFunction(name, ev, timeout, currentEventId);

            var init = type.GetMethod("InitContext", BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static, null, new[] { typeof(Context) }, null);
            if (init != null)
            {
                try { init.Invoke(init.IsStatic ? null : instance, new object[] { context }); }
                catch (TargetInvocationException e) { throw new StartFailure("init", "InitContext of " + type.FullName + " threw " + e.InnerException.GetType().FullName + ": " + e.InnerException.Message, e.InnerException.ToString()); }
            }
            context.IsInitialized = true;
        }

        /// <summary>A direct delegate where the signature allows it (no reflection cost per event, exceptions unwrapped).</summary>
        static Func<Context, Event, object> Bind(MethodInfo method, object instance)
        {
            if (!method.ReturnType.IsValueType && method.ReturnType != typeof(void))
            {
                var direct = method.IsStatic
                    ? Delegate.CreateDelegate(typeof(Func<Context, Event, object>), method, false)
                    : Delegate.CreateDelegate(typeof(Func<Context, Event, object>), instance, method, false);
                if (direct != null) return (Func<Context, Event, object>)direct;
            }
            return (c, e) =>
            {
                try { return method.Invoke(instance, new object[] { c, e }); }
                catch (TargetInvocationException wrapped) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(wrapped.InnerException).Throw(); throw; }
            };
        }

        static void Send(byte[] frame)
        {
            lock (sendLock)
            {
                int sent = 0;
                while (sent < frame.Length) sent += socket.Send(frame, sent, frame.Length - sent, SocketFlags.None);
            }
        }

        static void SendLog(string level, string message, Dictionary<string, object> with)
        {
            var record = new Dictionary<string, object> { { "level", level }, { "message", message } };
            if (with != null && with.Count > 0) record["with"] = with;
            try { Send(Frames.EncodeJson(FrameType.Log, currentEventId, record)); }
            catch (Exception e) { Console.Error.WriteLine(level + ": " + message + " (LOG frame failed: " + e.Message + ")"); }
        }

        static void Serve(FrameReader reader, int maxInFlight)
        {
            for (;;)
            {
                Frame frame;
                try { frame = calls.Next(); }
                catch (IOException) { frame = null; }
                catch (SocketException) { frame = null; }
                if (frame == null) Environment.Exit(0);
                switch (frame.Type)
                {
                    case FrameType.Event:
                        lock (stateLock) inFlight++;
                        // One at a time: run on this thread (no hop). More: run on the thread pool.
                        if (maxInFlight == 1) RunEvent(frame);
                        else ThreadPool.QueueUserWorkItem(state => RunEvent((Frame)state), frame);
                        break;
                    case FrameType.Drain:
                        lock (stateLock) draining = true;
                        MaybeSendDrained();
                        break;
                    case FrameType.Terminate:
                        Environment.Exit(0);
                        break;
                    case FrameType.CallResult:
                        calls.Deliver(frame);
                        break;
                    default:
                        throw new ProtocolException("unexpected frame type " + frame.Type + " from the processor");
                }
            }
        }

        static void MaybeSendDrained()
        {
            lock (stateLock)
            {
                if (!draining || drainedSent || inFlight > 0) return;
                drainedSent = true;
            }
            Send(Frames.Encode(FrameType.Drained, 0, null));
        }

        static void RunEvent(Frame frame)
        {
            byte[] answer;
            try
            {
                Event ev = DecodeEvent(frame);
                currentEventId = frame.Id;
                object result;
                try
                {
                    result = handler(context, ev);
                    result = AwaitIfTask(result);
                }
                finally
                {
                    currentEventId = 0;
                }
                answer = EncodeResult(frame.Id, result);
            }
            catch (Exception e)
            {
                var inner = e;
                while ((inner is TargetInvocationException || inner is AggregateException) && inner.InnerException != null) inner = inner.InnerException;
                answer = Frames.EncodeJson(FrameType.Error, frame.Id, new Dictionary<string, object> {
                    { "message", inner.Message }, { "type", inner.GetType().FullName }, { "stack", inner.ToString() },
                });
            }
            try { Send(answer); }
            catch (Exception e) { Console.Error.WriteLine("nucleon dotnet wrapper: cannot send the answer to event " + frame.Id + ": " + e.Message); Environment.Exit(2); }
            lock (stateLock) inFlight--;
            MaybeSendDrained();
        }

        /// <summary>A handler may return Task or Task&lt;T&gt;: wait for it and answer with its result.</summary>
        static object AwaitIfTask(object result)
        {
            var task = result as System.Threading.Tasks.Task;
            if (task == null) return result;
            task.GetAwaiter().GetResult();
            var type = task.GetType();
            if (!type.IsGenericType) return null;
            var property = type.GetProperty("Result");
            var value = property == null ? null : property.GetValue(task, null);
            // Task<VoidTaskResult> and friends: no value.
            return value != null && value.GetType().FullName == "System.Threading.Tasks.VoidTaskResult" ? null : value;
        }

        static Event DecodeEvent(Frame frame)
        {
            Dictionary<string, object> meta;
            byte[] body;
            frame.MetaBody(out meta, out body);
            var ev = new Event { Body = body, Size = body.Length };
            ev.Id = Str(meta, "id");
            ev.Method = Str(meta, "method");
            ev.Path = Str(meta, "path");
            ev.Url = Str(meta, "url");
            ev.ContentType = Str(meta, "contentType");
            object value;
            var headers = (meta.TryGetValue("headers", out value) ? value : null) as Dictionary<string, object>;
            if (headers != null) foreach (var h in headers) ev.Headers[h.Key] = h.Value;
            var fields = (meta.TryGetValue("fields", out value) ? value : null) as Dictionary<string, object>;
            if (fields != null) foreach (var f in fields) ev.Fields[f.Key] = f.Value;
            if (meta.TryGetValue("timestamp", out value) && value != null)
            {
                double seconds = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                ev.Timestamp = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }
            var trigger = (meta.TryGetValue("trigger", out value) ? value : null) as Dictionary<string, object>;
            if (trigger != null) ev.Trigger = new Trigger { Kind = Str(trigger, "kind"), Name = Str(trigger, "name"), Class = Str(trigger, "name") };
            ev.Type = Str(meta, "type") ?? "";
            ev.TypeVersion = Str(meta, "typeVersion") ?? "";
            long major;
            var formatVersion = (Str(meta, "version") ?? "").Split('.')[0];
            if (long.TryParse(formatVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out major)) ev.Version = major;
            ev.Topic = Str(meta, "topic");
            if (meta.TryGetValue("shardId", out value) && value != null) ev.ShardId = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            ev.Offset = Str(meta, "offset");
            var key = Str(meta, "key");
            if (key != null) ev.Key = Convert.FromBase64String(key);
            return ev;
        }

        static string Str(Dictionary<string, object> map, string key)
        {
            object value;
            return map.TryGetValue(key, out value) && value != null ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
        }

        /// <summary>Maps what the handler returned onto a RESPONSE: Response, string, byte[], null, or anything else as JSON.</summary>
        public static byte[] EncodeResult(uint id, object result)
        {
            int status = 200;
            var headers = new Dictionary<string, object>();
            string contentType = null;
            object body = result;
            var response = result as Response;
            if (response != null)
            {
                if (response.StatusCode != 0) status = response.StatusCode;
                contentType = response.ContentType;
                body = response.Body;
                if (response.Headers != null)
                {
                    foreach (var h in response.Headers)
                    {
                        if (h.Value == null) continue;
                        var values = h.Value as System.Collections.IEnumerable;
                        if (values != null && !(h.Value is string))
                        {
                            var list = new List<object>();
                            foreach (var v in values) list.Add(Convert.ToString(v, CultureInfo.InvariantCulture));
                            headers[h.Key] = list;
                        }
                        else headers[h.Key] = Convert.ToString(h.Value, CultureInfo.InvariantCulture);
                    }
                }
            }
            byte[] bytes;
            if (body == null) { bytes = new byte[0]; if (contentType == null) contentType = "text/plain; charset=utf-8"; }
            else if (body is string) { bytes = Encoding.UTF8.GetBytes((string)body); if (contentType == null) contentType = "text/plain; charset=utf-8"; }
            else if (body is byte[]) { bytes = (byte[])body; if (contentType == null) contentType = "application/octet-stream"; }
            else { bytes = Encoding.UTF8.GetBytes(Json.Serialize(body)); if (contentType == null) contentType = "application/json"; }
            var meta = new Dictionary<string, object> { { "statusCode", status }, { "contentType", contentType }, { "headers", headers } };
            return Frames.EncodeMetaBody(FrameType.Response, id, meta, bytes);
        }
    }
}
