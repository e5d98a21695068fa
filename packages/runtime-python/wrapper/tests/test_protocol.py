import json
import os
import struct
import unittest

from tests.support import WRAPPER_DIR
import nucleon_protocol as proto

VECTORS = os.path.join(WRAPPER_DIR, '..', '..', 'runtime-wrapper', 'test-vectors')


class FrameLayout(unittest.TestCase):
    def test_header_is_length_type_id_big_endian(self):
        data = proto.encode_frame(proto.READY, 0, b'{}')
        self.assertEqual(data, b'\x00\x00\x00\x07\x03\x00\x00\x00\x00{}')

    def test_empty_payload_frame_is_nine_bytes_with_length_five(self):
        self.assertEqual(proto.encode_frame(proto.DRAINED, 0), b'\x00\x00\x00\x05\x31\x00\x00\x00\x00')

    def test_event_ids_use_all_32_bits(self):
        data = proto.encode_frame(proto.ACK, 0xFFFFFFFE, b'{}')
        self.assertEqual(data[5:9], b'\xff\xff\xff\xfe')
        self.assertEqual(proto.FrameDecoder().feed(data)[0].id, 0xFFFFFFFE)

    def test_meta_body_keeps_binary_bodies_raw(self):
        body = bytes(range(256)) * 3
        payload = proto.encode_meta_body({'statusCode': 201, 'contentType': 'application/octet-stream'}, body)
        (meta_length,) = struct.unpack('>I', payload[:4])
        self.assertEqual(json.loads(payload[4:4 + meta_length]), {'statusCode': 201, 'contentType': 'application/octet-stream'})
        self.assertEqual(payload[4 + meta_length:], body)
        self.assertEqual(proto.decode_meta_body(payload), ({'statusCode': 201, 'contentType': 'application/octet-stream'}, body))

    def test_meta_is_utf8_json(self):
        meta, body = proto.decode_meta_body(proto.encode_meta_body({'path': '/é✓'}, b''))
        self.assertEqual(meta['path'], '/é✓')
        self.assertEqual(body, b'')


class Decoding(unittest.TestCase):
    def test_decoder_reassembles_frames_fed_byte_by_byte(self):
        stream = proto.encode_json_frame(proto.LOG, 7, {'level': 'info', 'message': 'x'}) + proto.encode_frame(proto.DRAIN, 0)
        decoder = proto.FrameDecoder()
        frames = []
        for i in range(len(stream)):
            frames.extend(decoder.feed(stream[i:i + 1]))
        self.assertEqual([(f.type, f.id) for f in frames], [(proto.LOG, 7), (proto.DRAIN, 0)])
        self.assertEqual(frames[0].json(), {'level': 'info', 'message': 'x'})
        self.assertEqual(decoder.pending, 0)

    def test_length_below_five_is_refused(self):
        with self.assertRaises(proto.ProtocolError):
            proto.FrameDecoder().feed(b'\x00\x00\x00\x04\x03\x00\x00\x00\x00')

    def test_length_over_64_mib_plus_five_is_refused(self):
        with self.assertRaises(proto.ProtocolError):
            proto.FrameDecoder().feed(struct.pack('>IBI', proto.MAX_LENGTH + 1, proto.EVENT, 1))

    def test_the_largest_allowed_length_is_accepted_as_a_header(self):
        self.assertEqual(proto.parse_header(struct.pack('>IBI', 67108869, proto.EVENT, 1)), (67108869, proto.EVENT, 1))

    def test_meta_length_past_the_payload_is_refused(self):
        with self.assertRaises(proto.ProtocolError):
            proto.decode_meta_body(struct.pack('>I', 10) + b'{}')

    def test_non_object_json_is_refused(self):
        with self.assertRaises(proto.ProtocolError):
            proto.decode_json(b'[1]')
        with self.assertRaises(proto.ProtocolError):
            proto.decode_json(b'\xff')

    def test_payloads_over_the_limit_are_not_encoded(self):
        with self.assertRaises(proto.FrameTooLarge):
            proto.encode_frame(proto.RESPONSE, 1, bytearray(proto.MAX_PAYLOAD + 1))


def _read_hex(name):
    with open(os.path.join(VECTORS, name)) as f:
        return bytes.fromhex(''.join(f.read().split()))


def _vectors():
    index = os.path.join(VECTORS, 'index.json')
    if not os.path.isdir(VECTORS):
        raise unittest.SkipTest('no shared test vectors at {0} (outside the monorepo)'.format(VECTORS))
    with open(index) as f:
        return json.load(f)


class SharedTestVectors(unittest.TestCase):
    """packages/runtime-wrapper/test-vectors: frames made by the processor side's encoder."""

    def test_each_vector_decodes_to_what_the_index_says(self):
        for vector in _vectors():
            with self.subTest(vector=vector['file']):
                decoder = proto.FrameDecoder()
                frames = decoder.feed(_read_hex(vector['file']))
                self.assertEqual(len(frames), 1)
                self.assertEqual(decoder.pending, 0)
                frame = frames[0]
                self.assertEqual((frame.type, frame.id), (vector['type'], vector['id']))
                self.assertEqual(proto.TYPE_NAMES[frame.type], vector['typeName'])
                if 'json' in vector:
                    self.assertEqual(frame.json(), vector['json'])
                elif 'meta' in vector:
                    self.assertEqual(frame.meta_body(), (vector['meta'], bytes.fromhex(vector['bodyHex'])))
                else:
                    self.assertTrue(vector.get('empty'))
                    self.assertEqual(frame.payload, b'')

    def test_encoding_the_index_values_gives_the_same_bytes(self):
        for vector in _vectors():
            with self.subTest(vector=vector['file']):
                if 'json' in vector:
                    data = proto.encode_json_frame(vector['type'], vector['id'], vector['json'])
                elif 'meta' in vector:
                    data = proto.encode_meta_body_frame(vector['type'], vector['id'], vector['meta'], bytes.fromhex(vector['bodyHex']))
                else:
                    data = proto.encode_frame(vector['type'], vector['id'])
                self.assertEqual(data.hex(), _read_hex(vector['file']).hex())

    def test_all_frames_back_to_back_in_small_pieces(self):
        vectors = _vectors()
        stream = _read_hex('all-in-order.hex')
        decoder = proto.FrameDecoder()
        frames = []
        for start in range(0, len(stream), 7):
            frames.extend(decoder.feed(stream[start:start + 7]))
        self.assertEqual([(f.type, f.id) for f in frames], [(v['type'], v['id']) for v in vectors])
        self.assertEqual(decoder.pending, 0)

    def test_event_vectors_become_nuclio_events(self):
        import nucleon_events
        by_file = {v['file']: v for v in _vectors()}
        http = proto.FrameDecoder().feed(_read_hex('event-binary-body.hex'))[0]
        event = nucleon_events.build_event(*http.meta_body(), frame_id=http.id)
        self.assertEqual(event.body, bytes.fromhex(by_file['event-binary-body.hex']['bodyHex']))
        self.assertEqual(event.headers['X-Multi'], ['1', '2'])
        self.assertEqual(event.fields['tag'], ['a', 'b'])
        self.assertEqual(event.timestamp.microsecond, 123000)
        stream = proto.FrameDecoder().feed(_read_hex('event-stream.hex'))[0]
        event = nucleon_events.build_event(*stream.meta_body(), frame_id=stream.id)
        meta = by_file['event-stream.hex']['meta']
        self.assertEqual((event.topic, event.shard_id), (meta['topic'], meta['shardId']))
        self.assertEqual(event.offset, int(meta['offset']))
        self.assertEqual(event.key, __import__('base64').b64decode(meta['key']))


if __name__ == '__main__':
    unittest.main()
