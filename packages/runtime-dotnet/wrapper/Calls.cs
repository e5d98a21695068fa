// context.Platform.CallFunction (docs/protocol.md, "Function calls"): a CALL frame to the
// processor, which makes the HTTP request, and its CALL_RESULT back. While the serving loop
// reads concurrently with handlers (maxInFlight > 1) it hands CALL_RESULT frames to Deliver;
// otherwise (one event at a time, run on the loop's thread, or InitContext) the waiting call
// reads the socket itself and keeps other frames for the loop.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Nuclio.Sdk;

namespace Nucleon.Wrapper
{
    public sealed class Calls
    {
        sealed class Slot
        {
            public readonly ManualResetEventSlim Done = new ManualResetEventSlim(false);
            public Frame Answer;
        }

        readonly FrameReader reader;
        readonly bool offered;
        readonly Action<byte[]> send;
        readonly object slotsLock = new object();
        readonly object readLock = new object();
        readonly Dictionary<uint, Slot> slots = new Dictionary<uint, Slot>();
        readonly Queue<Frame> deferred = new Queue<Frame>();
        int nextId;

        /// <summary>True once the serving loop reads while handlers run on other threads.</summary>
        public volatile bool LoopReads;

        public Calls(FrameReader reader, bool offered, Action<byte[]> send)
        {
            this.reader = reader;
            this.offered = offered;
            this.send = send;
        }

        /// <summary>True when WELCOME lists the "call" capability.</summary>
        public static bool Offered(Dictionary<string, object> welcome)
        {
            object value;
            var list = (welcome.TryGetValue("capabilities", out value) ? value : null) as List<object>;
            return list != null && list.Contains("call");
        }

        /// <summary>The loop's read: frames a waiting call read on its behalf come first.</summary>
        public Frame Next()
        {
            lock (deferred) if (deferred.Count > 0) return deferred.Dequeue();
            return reader.Read();
        }

        /// <summary>A CALL_RESULT for a call in flight; one for a call no longer waiting is dropped.</summary>
        public void Deliver(Frame frame)
        {
            Slot slot;
            lock (slotsLock) { if (!slots.TryGetValue(frame.Id, out slot)) return; slots.Remove(frame.Id); }
            slot.Answer = frame;
            slot.Done.Set();
        }

        public Response CallFunction(string name, Event ev, TimeSpan? timeout, uint eventId)
        {
            if (!offered) throw new CallFunctionException("NUCLEON_ERR_CALL_FAILED", "CallFunction: this processor does not offer function calls (no \"call\" capability)");
            var headers = new Dictionary<string, object>();
            if (ev.Headers != null) foreach (var h in ev.Headers) if (h.Value != null) headers[h.Key] = Convert.ToString(h.Value, CultureInfo.InvariantCulture);
            var meta = new Dictionary<string, object> {
                { "function", name }, { "method", string.IsNullOrEmpty(ev.Method) ? "POST" : ev.Method }, { "path", string.IsNullOrEmpty(ev.Path) ? "/" : ev.Path },
                { "headers", headers }, { "contentType", string.IsNullOrEmpty(ev.ContentType) ? "text/plain" : ev.ContentType }, { "eventId", eventId },
            };
            if (timeout.HasValue) meta["timeoutMs"] = (long)timeout.Value.TotalMilliseconds;
            uint id = (uint)Interlocked.Increment(ref nextId);
            var slot = new Slot();
            lock (slotsLock) slots[id] = slot;
            try
            {
                send(Frames.EncodeMetaBody(FrameType.Call, id, meta, ev.Body ?? new byte[0]));
                Wait(slot);
            }
            finally
            {
                lock (slotsLock) slots.Remove(id);
            }
            return ToResponse(name, slot.Answer);
        }

        void Wait(Slot slot)
        {
            while (!slot.Done.IsSet)
            {
                if (LoopReads) { slot.Done.Wait(); return; }
                lock (readLock)
                {
                    if (slot.Done.IsSet) return;
                    var frame = reader.Read();
                    if (frame == null) throw new CallFunctionException("NUCLEON_ERR_CALL_FAILED", "CallFunction: the processor closed the connection");
                    if (frame.Type == FrameType.CallResult) Deliver(frame);
                    else lock (deferred) deferred.Enqueue(frame);
                }
            }
        }

        static Response ToResponse(string name, Frame frame)
        {
            Dictionary<string, object> meta;
            byte[] body;
            frame.MetaBody(out meta, out body);
            object value;
            var error = (meta.TryGetValue("error", out value) ? value : null) as Dictionary<string, object>;
            if (error != null)
            {
                throw new CallFunctionException(Convert.ToString(error.ContainsKey("code") ? error["code"] : "NUCLEON_ERR_CALL_FAILED", CultureInfo.InvariantCulture),
                    Convert.ToString(error.ContainsKey("message") ? error["message"] : "calling function \"" + name + "\" failed", CultureInfo.InvariantCulture));
            }
            var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            var given = (meta.TryGetValue("headers", out value) ? value : null) as Dictionary<string, object>;
            if (given != null) foreach (var h in given) headers[h.Key.ToLowerInvariant()] = h.Value;
            return new Response {
                StatusCode = meta.TryGetValue("statusCode", out value) && value != null ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : 200,
                ContentType = meta.TryGetValue("contentType", out value) && value != null ? Convert.ToString(value, CultureInfo.InvariantCulture) : "text/plain",
                Headers = headers,
                Body = body,
            };
        }
    }
}
