// C# ceiling for bench/runtimes: the least a .NET wrapper can do per event. Speaks
// docs/protocol.md v1 (HELLO, WELCOME, READY; EVENT -> a fixed RESPONSE "hello"; DRAIN ->
// DRAINED; TERMINATE or EOF -> exit), base class library only, one receive buffer, one send
// per batch of frames received together. Built with mcs (Mono) by run.sh.
using System;
using System.Net.Sockets;
using System.Text;

public static class CsLoop
{
    static byte[] Frame(byte type, uint id, byte[] payload)
    {
        var f = new byte[9 + payload.Length];
        Put(f, 0, (uint)(5 + payload.Length));
        f[4] = type;
        Put(f, 5, id);
        Buffer.BlockCopy(payload, 0, f, 9, payload.Length);
        return f;
    }

    static void Put(byte[] b, int o, uint v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }
    static uint Get(byte[] b, int o) { return ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3]; }

    public static int Main()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(Environment.GetEnvironmentVariable("NUCLEON_WRAPPER_SOCKET")));
        var hello = "{\"versions\":[1],\"runtime\":\"cs-ceiling\",\"runtimeVersion\":\"" + Environment.Version + "\",\"pid\":" +
            System.Diagnostics.Process.GetCurrentProcess().Id + ",\"maxInFlight\":1}";
        socket.Send(Frame(1, 0, Encoding.UTF8.GetBytes(hello)));
        var meta = Encoding.UTF8.GetBytes("{\"statusCode\":200,\"contentType\":\"text/plain; charset=utf-8\"}");
        var body = Encoding.UTF8.GetBytes("hello");
        var payload = new byte[4 + meta.Length + body.Length];
        Put(payload, 0, (uint)meta.Length);
        Buffer.BlockCopy(meta, 0, payload, 4, meta.Length);
        Buffer.BlockCopy(body, 0, payload, 4 + meta.Length, body.Length);
        var response = Frame(17, 0, payload);
        var ready = Frame(3, 0, Encoding.UTF8.GetBytes("{}"));
        var drained = Frame(49, 0, new byte[0]);

        var buf = new byte[256 * 1024];
        int start = 0, end = 0;
        var outBuf = new byte[64 * 1024];
        for (;;)
        {
            if (end == buf.Length)
            {
                // Compact, or grow for a frame larger than the buffer.
                if (start > 0) { Buffer.BlockCopy(buf, start, buf, 0, end - start); end -= start; start = 0; }
                else Array.Resize(ref buf, buf.Length * 2);
            }
            int n = socket.Receive(buf, end, buf.Length - end, SocketFlags.None);
            if (n <= 0) return 0;
            end += n;
            int outLen = 0;
            while (end - start >= 9)
            {
                int length = (int)Get(buf, start);
                if (end - start < 4 + length) break;
                byte type = buf[start + 4];
                byte[] answer = null;
                if (type == 16) { answer = response; Buffer.BlockCopy(buf, start + 5, response, 5, 4); }
                else if (type == 2) answer = ready;
                else if (type == 48) answer = drained;
                else if (type == 50) { if (outLen > 0) socket.Send(outBuf, 0, outLen, SocketFlags.None); return 0; }
                if (answer != null)
                {
                    if (outLen + answer.Length > outBuf.Length) { socket.Send(outBuf, 0, outLen, SocketFlags.None); outLen = 0; }
                    Buffer.BlockCopy(answer, 0, outBuf, outLen, answer.Length);
                    outLen += answer.Length;
                }
                start += 4 + length;
            }
            if (start == end) start = end = 0;
            if (outLen > 0) socket.Send(outBuf, 0, outLen, SocketFlags.None);
        }
    }
}
