// A small JSON reader and writer, so the wrapper needs nothing beyond the base class library
// and builds the same with Mono's mcs and the .NET SDK.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Nucleon.Wrapper
{
    /// <summary>JSON values map to Dictionary&lt;string, object&gt; (key order kept), List&lt;object&gt;, string, long, double, bool and null.</summary>
    public static class Json
    {
        public static object Parse(string text)
        {
            var reader = new JsonReader(text);
            reader.SkipSpace();
            var value = reader.ReadValue();
            reader.SkipSpace();
            if (!reader.AtEnd) throw new FormatException("JSON: unexpected text after the value at " + reader.Position);
            return value;
        }

        public static string Serialize(object value)
        {
            var sb = new StringBuilder();
            Write(sb, value, 0);
            return sb.ToString();
        }

        static void Write(StringBuilder sb, object value, int depth)
        {
            if (depth > 64) throw new InvalidOperationException("JSON: value nested deeper than 64 levels (a cycle?)");
            if (value == null) { sb.Append("null"); return; }
            if (value is string) { WriteString(sb, (string)value); return; }
            if (value is bool) { sb.Append((bool)value ? "true" : "false"); return; }
            if (value is char) { WriteString(sb, value.ToString()); return; }
            if (value is int || value is long || value is short || value is byte || value is sbyte
                || value is uint || value is ulong || value is ushort)
            {
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            }
            if (value is double || value is float)
            {
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d)) { sb.Append("null"); return; }
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            }
            if (value is decimal) { sb.Append(((decimal)value).ToString(CultureInfo.InvariantCulture)); return; }
            if (value is DateTime) { WriteString(sb, ((DateTime)value).ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)); return; }
            if (value is Guid || value is Enum) { WriteString(sb, value.ToString()); return; }
            if (value is byte[]) { WriteString(sb, Convert.ToBase64String((byte[])value)); return; }
            var dict = value as IDictionary;
            if (dict != null)
            {
                sb.Append('{');
                bool first = true;
                foreach (DictionaryEntry entry in dict)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, Convert.ToString(entry.Key, CultureInfo.InvariantCulture));
                    sb.Append(':');
                    Write(sb, entry.Value, depth + 1);
                }
                sb.Append('}');
                return;
            }
            var list = value as IEnumerable;
            if (list != null)
            {
                sb.Append('[');
                bool first = true;
                foreach (var item in list)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Write(sb, item, depth + 1);
                }
                sb.Append(']');
                return;
            }
            // Any other object (a class, an anonymous type): its public readable properties and fields.
            sb.Append('{');
            bool firstMember = true;
            var type = value.GetType();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanRead || property.GetIndexParameters().Length > 0) continue;
                if (!firstMember) sb.Append(',');
                firstMember = false;
                WriteString(sb, property.Name);
                sb.Append(':');
                Write(sb, property.GetValue(value, null), depth + 1);
            }
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!firstMember) sb.Append(',');
                firstMember = false;
                WriteString(sb, field.Name);
                sb.Append(':');
                Write(sb, field.GetValue(value), depth + 1);
            }
            sb.Append('}');
        }

        /// <summary>Escapes as JavaScript's JSON.stringify does: quotes, backslashes and control characters.</summary>
        static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }

        sealed class JsonReader
        {
            readonly string text;
            int pos;

            public JsonReader(string text) { this.text = text; }
            public bool AtEnd { get { return pos >= text.Length; } }
            public int Position { get { return pos; } }

            public void SkipSpace()
            {
                while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) pos++;
            }

            FormatException Error(string what) { return new FormatException("JSON: " + what + " at " + pos); }

            public object ReadValue()
            {
                if (AtEnd) throw Error("unexpected end");
                char c = text[pos];
                switch (c)
                {
                    case '{': return ReadObject();
                    case '[': return ReadArray();
                    case '"': return ReadString();
                    case 't': Expect("true"); return true;
                    case 'f': Expect("false"); return false;
                    case 'n': Expect("null"); return null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                        throw Error("unexpected character '" + c + "'");
                }
            }

            void Expect(string word)
            {
                if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) throw Error("expected " + word);
                pos += word.Length;
            }

            Dictionary<string, object> ReadObject()
            {
                var result = new Dictionary<string, object>();
                pos++;
                SkipSpace();
                if (pos < text.Length && text[pos] == '}') { pos++; return result; }
                for (;;)
                {
                    SkipSpace();
                    if (AtEnd || text[pos] != '"') throw Error("expected a key");
                    string key = ReadString();
                    SkipSpace();
                    if (AtEnd || text[pos] != ':') throw Error("expected ':'");
                    pos++;
                    SkipSpace();
                    result[key] = ReadValue();
                    SkipSpace();
                    if (AtEnd) throw Error("unexpected end in an object");
                    if (text[pos] == ',') { pos++; continue; }
                    if (text[pos] == '}') { pos++; return result; }
                    throw Error("expected ',' or '}'");
                }
            }

            List<object> ReadArray()
            {
                var result = new List<object>();
                pos++;
                SkipSpace();
                if (pos < text.Length && text[pos] == ']') { pos++; return result; }
                for (;;)
                {
                    SkipSpace();
                    result.Add(ReadValue());
                    SkipSpace();
                    if (AtEnd) throw Error("unexpected end in an array");
                    if (text[pos] == ',') { pos++; continue; }
                    if (text[pos] == ']') { pos++; return result; }
                    throw Error("expected ',' or ']'");
                }
            }

            string ReadString()
            {
                pos++;
                var sb = new StringBuilder();
                while (pos < text.Length)
                {
                    char c = text[pos++];
                    if (c == '"') return sb.ToString();
                    if (c != '\\') { sb.Append(c); continue; }
                    if (AtEnd) break;
                    char e = text[pos++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (pos + 4 > text.Length) throw Error("short \\u escape");
                            sb.Append((char)int.Parse(text.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            pos += 4;
                            break;
                        default: throw Error("bad escape \\" + e);
                    }
                }
                throw Error("unterminated string");
            }

            object ReadNumber()
            {
                int start = pos;
                bool integral = true;
                if (text[pos] == '-') pos++;
                while (pos < text.Length)
                {
                    char c = text[pos];
                    if (c >= '0' && c <= '9') { pos++; continue; }
                    if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { integral = false; pos++; continue; }
                    break;
                }
                string s = text.Substring(start, pos - start);
                long l;
                if (integral && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l)) return l;
                double d;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
                throw Error("bad number " + s);
            }
        }
    }
}
