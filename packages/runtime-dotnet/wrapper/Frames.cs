// The frame layer of docs/protocol.md: [length u32 BE][type u8][id u32 BE][payload].
using System;
using System.IO;
using System.Text;

namespace Nucleon.Wrapper
{
    public static class FrameType
    {
        public const byte Hello = 1, Welcome = 2, Ready = 3, Fatal = 4;
        public const byte Event = 16, Response = 17, Error = 18;
        public const byte Log = 32, Metric = 33, Ack = 34;
        public const byte Drain = 48, Drained = 49, Terminate = 50;
        public const byte Call = 64, CallResult = 65;

        public static bool IsKnown(byte type)
        {
            return (type >= 1 && type <= 4) || (type >= 16 && type <= 18) || (type >= 32 && type <= 34) || (type >= 48 && type <= 50) ||
                type == Call || type == CallResult;
        }
    }

    public sealed class Frame
    {
        public byte Type;
        public uint Id;
        public byte[] Payload;

        public Frame(byte type, uint id, byte[] payload) { Type = type; Id = id; Payload = payload; }

        /// <summary>The payload as one JSON object.</summary>
        public System.Collections.Generic.Dictionary<string, object> JsonPayload()
        {
            var value = Json.Parse(Encoding.UTF8.GetString(Payload)) as System.Collections.Generic.Dictionary<string, object>;
            if (value == null) throw new InvalidDataException("frame " + Type + ": payload is not a JSON object");
            return value;
        }

        /// <summary>Splits a meta+body payload.</summary>
        public void MetaBody(out System.Collections.Generic.Dictionary<string, object> meta, out byte[] body)
        {
            if (Payload.Length < 4) throw new InvalidDataException("meta+body payload shorter than 4 bytes");
            uint metaLength = Frames.ReadUInt32(Payload, 0);
            if (metaLength > Payload.Length - 4) throw new InvalidDataException("meta length " + metaLength + " runs past the payload");
            meta = Json.Parse(Encoding.UTF8.GetString(Payload, 4, (int)metaLength)) as System.Collections.Generic.Dictionary<string, object>;
            if (meta == null) throw new InvalidDataException("meta is not a JSON object");
            body = new byte[Payload.Length - 4 - (int)metaLength];
            Buffer.BlockCopy(Payload, 4 + (int)metaLength, body, 0, body.Length);
        }
    }

    public static class Frames
    {
        public const int HeaderBytes = 9;
        public const uint MinLength = 5;
        public const uint MaxLength = 64 * 1024 * 1024 + 5;

        public static uint ReadUInt32(byte[] b, int offset)
        {
            return ((uint)b[offset] << 24) | ((uint)b[offset + 1] << 16) | ((uint)b[offset + 2] << 8) | b[offset + 3];
        }

        static void WriteUInt32(byte[] b, int offset, uint v)
        {
            b[offset] = (byte)(v >> 24);
            b[offset + 1] = (byte)(v >> 16);
            b[offset + 2] = (byte)(v >> 8);
            b[offset + 3] = (byte)v;
        }

        /// <summary>One whole frame in one buffer, so it can go out in a single write.</summary>
        public static byte[] Encode(byte type, uint id, byte[] payload)
        {
            if (payload == null) payload = new byte[0];
            if ((ulong)payload.Length + 5 > MaxLength) throw new ArgumentException("frame payload of " + payload.Length + " bytes is over 64 MiB");
            var frame = new byte[HeaderBytes + payload.Length];
            WriteUInt32(frame, 0, (uint)(payload.Length + 5));
            frame[4] = type;
            WriteUInt32(frame, 5, id);
            Buffer.BlockCopy(payload, 0, frame, HeaderBytes, payload.Length);
            return frame;
        }

        public static byte[] EncodeJson(byte type, uint id, object value)
        {
            return Encode(type, id, Encoding.UTF8.GetBytes(Json.Serialize(value)));
        }

        public static byte[] EncodeMetaBody(byte type, uint id, object meta, byte[] body)
        {
            var metaBytes = Encoding.UTF8.GetBytes(Json.Serialize(meta));
            if (body == null) body = new byte[0];
            var payload = new byte[4 + metaBytes.Length + body.Length];
            WriteUInt32(payload, 0, (uint)metaBytes.Length);
            Buffer.BlockCopy(metaBytes, 0, payload, 4, metaBytes.Length);
            Buffer.BlockCopy(body, 0, payload, 4 + metaBytes.Length, body.Length);
            return Encode(type, id, payload);
        }
    }

    /// <summary>Reads whole frames from a stream; null at a clean end of stream.</summary>
    public sealed class FrameReader
    {
        readonly Stream stream;
        readonly byte[] header = new byte[Frames.HeaderBytes];

        public FrameReader(Stream stream) { this.stream = stream; }

        public Frame Read()
        {
            if (!Fill(header, Frames.HeaderBytes, true)) return null;
            uint length = Frames.ReadUInt32(header, 0);
            if (length < Frames.MinLength || length > Frames.MaxLength)
                throw new InvalidDataException("frame length " + length + " is outside 5.." + Frames.MaxLength);
            byte type = header[4];
            if (!FrameType.IsKnown(type)) throw new InvalidDataException("unknown frame type " + type);
            var payload = new byte[length - 5];
            if (!Fill(payload, payload.Length, false)) throw new EndOfStreamException("the stream ended inside a frame");
            return new Frame(type, Frames.ReadUInt32(header, 5), payload);
        }

        bool Fill(byte[] buffer, int count, bool endAllowed)
        {
            int done = 0;
            while (done < count)
            {
                int n = stream.Read(buffer, done, count - done);
                if (n <= 0)
                {
                    if (done == 0 && endAllowed) return false;
                    throw new EndOfStreamException("the stream ended inside a frame");
                }
                done += n;
            }
            return true;
        }
    }
}
