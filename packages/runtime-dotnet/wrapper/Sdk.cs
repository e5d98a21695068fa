// The handler-facing types, shaped as Nuclio's .NET SDK (namespace Nuclio.Sdk) shapes them, so a
// handler written for Nuclio's dotnetcore runtime compiles unchanged against this wrapper.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Nuclio.Sdk
{
    /// <summary>What a handler gets besides its event: a logger, user data kept between events, and its worker.</summary>
    public class Context
    {
        public Logger Logger { get; set; }
        /// <summary>Kept for the wrapper's lifetime; InitContext usually fills it.</summary>
        public Dictionary<string, object> UserData { get; set; }
        /// <summary>The function's name (metadata.name).</summary>
        public string Name { get; set; }
        public bool IsInitialized { get; set; }
        public int WorkerId { get; set; }
        /// <summary>What the platform offers handlers: CallFunction.</summary>
        public Platform Platform { get; set; }

        public Context()
        {
            Logger = new Logger();
            UserData = new Dictionary<string, object>();
            Platform = new Platform();
        }
    }

    /// <summary>context.Platform: calls to other functions on the platform this one runs on.</summary>
    public class Platform
    {
        /// <summary>Set by the wrapper: sends the call to the processor and waits for its answer.</summary>
        internal Func<string, Event, TimeSpan?, Response> Caller;

        /// <summary>
        /// Calls function <paramref name="name"/> through its HTTP trigger (method POST unless the event says
        /// otherwise) and returns its answer whatever the status: StatusCode, Headers (lower-case names),
        /// ContentType and Body as byte[]. Throws CallFunctionException when no function of that name is
        /// deployed (Code NUCLEON_ERR_CALLEE_NOT_FOUND) or when it does not answer in time.
        /// </summary>
        public Response CallFunction(string name, Event ev, TimeSpan? timeout = null)
        {
            if (Caller == null) throw new CallFunctionException("NUCLEON_ERR_CALL_FAILED", "CallFunction: no processor connection to call through");
            return Caller(name, ev ?? new Event(), timeout);
        }
    }

    /// <summary>A function call that got no answer; Code is the processor's error code.</summary>
    public class CallFunctionException : Exception
    {
        public string Code { get; private set; }

        public CallFunctionException(string code, string message) : base(message) { Code = code; }
    }

    /// <summary>Nuclio's .NET logger: format-string methods and structured *With variants.</summary>
    public class Logger
    {
        /// <summary>Where log records go (the wrapper sends them as LOG frames): level, message, with.</summary>
        internal Action<string, string, Dictionary<string, object>> Sink;

        /// <summary>e.g. context.Logger.Error("{0} not responding after {1} seconds", dbHost, timeout)</summary>
        public void Error(string format, params object[] args) { Log("error", Format(format, args), null); }
        /// <summary>e.g. context.Logger.Warning("{0} {1} full", "memory", used)</summary>
        public void Warning(string format, params object[] args) { Log("warn", Format(format, args), null); }
        public void Warn(string format, params object[] args) { Log("warn", Format(format, args), null); }
        public void Info(string format, params object[] args) { Log("info", Format(format, args), null); }
        public void Debug(string format, params object[] args) { Log("debug", Format(format, args), null); }

        /// <summary>e.g. context.Logger.ErrorWith("bad request", "error", "not found", "time", 7)</summary>
        public void ErrorWith(string message, params object[] with) { Log("error", message, Pairs(with)); }
        public void WarnWith(string message, params object[] with) { Log("warn", message, Pairs(with)); }
        public void InfoWith(string message, params object[] with) { Log("info", message, Pairs(with)); }
        public void DebugWith(string message, params object[] with) { Log("debug", message, Pairs(with)); }

        static string Format(string format, object[] args)
        {
            if (format == null) return "";
            if (args == null || args.Length == 0) return format;
            try { return string.Format(CultureInfo.InvariantCulture, format, args); }
            catch (FormatException) { return format + " " + string.Join(" ", Array.ConvertAll(args, a => Convert.ToString(a, CultureInfo.InvariantCulture))); }
        }

        static Dictionary<string, object> Pairs(object[] with)
        {
            var map = new Dictionary<string, object>();
            if (with == null) return map;
            for (int i = 0; i + 1 < with.Length; i += 2) map[Convert.ToString(with[i], CultureInfo.InvariantCulture)] = with[i + 1];
            // An odd count keeps the dangling key visible rather than dropping it.
            if (with.Length % 2 == 1) map[Convert.ToString(with[with.Length - 1], CultureInfo.InvariantCulture)] = null;
            return map;
        }

        void Log(string level, string message, Dictionary<string, object> with)
        {
            var sink = Sink;
            if (sink != null) sink(level, message ?? "", with);
            else Console.Error.WriteLine(level + ": " + message);
        }
    }

    /// <summary>The trigger that delivered an event: Kind (http, kafka-cluster, ...) and its name in Class.</summary>
    public class Trigger
    {
        public string Class { get; set; }
        public string Kind { get; set; }
        public string Name { get; set; }
    }

    /// <summary>One event, as Nuclio's .NET SDK shows it: Body as raw bytes, GetBody() as UTF-8 text.</summary>
    public class Event
    {
        public byte[] Body { get; set; }
        public string ContentType { get; set; }
        /// <summary>Header names compare case-insensitively (Headers["Content-Type"] and Headers["content-type"] are one).</summary>
        public Dictionary<string, object> Headers { get; set; }
        /// <summary>Query parameters (HTTP) or source-specific fields; a repeated one is a List&lt;object&gt;.</summary>
        public Dictionary<string, object> Fields { get; set; }
        public long Size { get; set; }
        public string Id { get; set; }
        public string Method { get; set; }
        public string Path { get; set; }
        public string Url { get; set; }
        /// <summary>The event's type and its version, for sources that carry them (CloudEvents); empty otherwise.</summary>
        public string Type { get; set; }
        public string TypeVersion { get; set; }
        /// <summary>Nuclio's numeric event version: the leading number of the source's format version (CloudEvents `1.0` is 1), else 0.</summary>
        public long Version { get; set; }
        public DateTime Timestamp { get; set; }
        public Trigger Trigger { get; set; }
        /// <summary>Stream triggers only: topic, shard, offset and key; null elsewhere.</summary>
        public string Topic { get; set; }
        public long ShardId { get; set; }
        public string Offset { get; set; }
        public byte[] Key { get; set; }

        public Event()
        {
            Body = new byte[0];
            Type = "";
            TypeVersion = "";
            Trigger = new Trigger();
            Headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            Fields = new Dictionary<string, object>();
        }

        public string GetBody() { return Encoding.UTF8.GetString(Body ?? new byte[0]); }
        public string GetBodyString() { return GetBody(); }
        public byte[] GetBodyBytes() { return Body; }
        public void SetBody(string body) { Body = Encoding.UTF8.GetBytes(body ?? ""); }

        /// <summary>A header's value as a string (the first one when repeated), or null.</summary>
        public string GetHeaderString(string name)
        {
            object value;
            if (Headers == null || !Headers.TryGetValue(name, out value) || value == null) return null;
            var list = value as List<object>;
            if (list != null) return list.Count > 0 ? Convert.ToString(list[0], CultureInfo.InvariantCulture) : null;
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        /// <summary>A field's value as a string (the first one when repeated), or null.</summary>
        public string GetFieldString(string name)
        {
            object value;
            if (Fields == null || !Fields.TryGetValue(name, out value) || value == null) return null;
            var list = value as List<object>;
            if (list != null) return list.Count > 0 ? Convert.ToString(list[0], CultureInfo.InvariantCulture) : null;
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A response with a status, content type and headers. Body may be a string (sent as UTF-8),
    /// a byte[] (sent as is) or any other object (sent as JSON).
    /// </summary>
    public class Response
    {
        public object Body { get; set; }
        public string ContentType { get; set; }
        /// <summary>0 means 200.</summary>
        public int StatusCode { get; set; }
        public Dictionary<string, object> Headers { get; set; }
        /// <summary>Kept for Nuclio compatibility; bodies travel raw, so it is not used.</summary>
        public string BodyEncoding { get; set; }
    }
}
