// Checks the wrapper's frame codec and JSON against packages/runtime-wrapper/test-vectors:
// decode every frame (one by one and all back to back, fed in small pieces), compare with
// index.json, and re-encode each value to the same bytes. Usage: mono vectors.exe <vectors dir>
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Nucleon.Wrapper;

public static class VectorsTest
{
    static int failures;

    static void Check(bool ok, string what)
    {
        if (ok) return;
        failures++;
        Console.WriteLine("FAIL " + what);
    }

    static byte[] Hex(string text)
    {
        var clean = new StringBuilder();
        foreach (char c in text) if (!char.IsWhiteSpace(c)) clean.Append(c);
        var s = clean.ToString();
        var bytes = new byte[s.Length / 2];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(s.Substring(i * 2, 2), 16);
        return bytes;
    }

    static string ToHex(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes) sb.Append(b.ToString("x2"));
        return sb.ToString();
    }

    /// <summary>Delivers at most 3 bytes per Read, as a socket may.</summary>
    sealed class TrickleStream : MemoryStream
    {
        public TrickleStream(byte[] data) : base(data) { }
        public override int Read(byte[] buffer, int offset, int count) { return base.Read(buffer, offset, Math.Min(count, 3)); }
    }

    static void CheckFrame(Frame frame, Dictionary<string, object> vector, bool encode)
    {
        string file = (string)vector["file"];
        Check(frame != null, file + ": no frame decoded");
        if (frame == null) return;
        Check(frame.Type == Convert.ToInt32(vector["type"]), file + ": type " + frame.Type);
        Check(frame.Id == Convert.ToUInt32(vector["id"]), file + ": id " + frame.Id);
        byte[] reencoded = null;
        if (vector.ContainsKey("json"))
        {
            var got = frame.JsonPayload();
            Check(Json.Serialize(got) == Json.Serialize(vector["json"]), file + ": json " + Json.Serialize(got));
            reencoded = Frames.EncodeJson(frame.Type, frame.Id, vector["json"]);
        }
        else if (vector.ContainsKey("meta"))
        {
            Dictionary<string, object> meta;
            byte[] body;
            frame.MetaBody(out meta, out body);
            Check(Json.Serialize(meta) == Json.Serialize(vector["meta"]), file + ": meta " + Json.Serialize(meta));
            Check(ToHex(body) == (string)vector["bodyHex"], file + ": body " + ToHex(body));
            reencoded = Frames.EncodeMetaBody(frame.Type, frame.Id, vector["meta"], Hex((string)vector["bodyHex"]));
        }
        else
        {
            Check(frame.Payload.Length == 0, file + ": payload should be empty");
            reencoded = Frames.Encode(frame.Type, frame.Id, null);
        }
        if (encode)
        {
            var expected = Hex(File.ReadAllText(dir + "/" + file));
            Check(ToHex(reencoded) == ToHex(expected), file + ": encoder gives " + ToHex(reencoded));
        }
    }

    static string dir;

    public static int Main(string[] args)
    {
        dir = args[0];
        var index = (List<object>)Json.Parse(File.ReadAllText(Path.Combine(dir, "index.json")));
        int checkedCount = 0;
        foreach (Dictionary<string, object> vector in index)
        {
            var bytes = Hex(File.ReadAllText(Path.Combine(dir, (string)vector["file"])));
            var reader = new FrameReader(new MemoryStream(bytes));
            CheckFrame(reader.Read(), vector, true);
            Check(reader.Read() == null, vector["file"] + ": bytes left after the frame");
            checkedCount++;
        }
        var all = new FrameReader(new TrickleStream(Hex(File.ReadAllText(Path.Combine(dir, "all-in-order.hex")))));
        foreach (Dictionary<string, object> vector in index) CheckFrame(all.Read(), vector, false);
        Check(all.Read() == null, "all-in-order.hex: frames left over");

        // Garbage breaks the connection: a length under 5, and an unknown type.
        foreach (var bad in new[] { "000000040100000000", "000000056300000000" })
        {
            bool threw = false;
            try { new FrameReader(new MemoryStream(Hex(bad))).Read(); } catch (InvalidDataException) { threw = true; }
            Check(threw, "garbage " + bad + " was accepted");
        }
        // A truncated frame is an error, not a clean end.
        bool truncated = false;
        try { new FrameReader(new MemoryStream(Hex("0000000a1000000007"))).Read(); } catch (EndOfStreamException) { truncated = true; }
        Check(truncated, "a truncated frame was accepted");

        Console.WriteLine(failures == 0 ? "PASS " + checkedCount + " vectors" : failures + " failures");
        return failures == 0 ? 0 : 1;
    }
}
