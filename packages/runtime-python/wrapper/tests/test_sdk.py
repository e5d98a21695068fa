import datetime
import json
import math
import unittest

import tests.support  # noqa: F401 - puts the wrapper on sys.path
import nucleon_events
import nuclio_sdk
import nuclio_sdk.json_encoder


def meta(**extra):
    base = {'id': 'e1', 'method': 'POST', 'path': '/p', 'url': '/p?x=1', 'contentType': 'text/plain',
            'headers': {'content-type': 'text/plain', 'x-request-id': 'abc'}, 'fields': {'x': '1'},
            'timestamp': 1795830000.5, 'trigger': {'kind': 'http', 'name': 'web'}}
    base.update(extra)
    return base


class Events(unittest.TestCase):
    def test_fields_follow_nuclio_names(self):
        event = nucleon_events.build_event(meta(), b'hi', 3)
        self.assertEqual(event.body, b'hi')
        self.assertEqual((event.id, event.method, event.path, event.url, event.content_type, event.size),
                         ('e1', 'POST', '/p', '/p?x=1', 'text/plain', 2))
        self.assertEqual(event.fields, {'x': '1'})
        self.assertEqual((event.trigger.kind, event.trigger.name), ('http', 'web'))
        self.assertEqual(event.timestamp, datetime.datetime(2026, 11, 28, 1, 40, 0, 500000))
        self.assertIsNone(event.timestamp.tzinfo)

    def test_header_lookups_ignore_case(self):
        event = nucleon_events.build_event(meta(), b'', 1)
        self.assertEqual(event.get_header('X-Request-Id'), 'abc')
        self.assertEqual(event.headers['X-Request-ID'], 'abc')
        self.assertIn('Content-Type', event.headers)
        self.assertEqual(event.headers.get('X-Missing', 'd'), 'd')
        self.assertEqual(dict(event.headers), {'content-type': 'text/plain', 'x-request-id': 'abc'})

    def test_json_bodies_are_decoded_only_for_exactly_application_json(self):
        self.assertEqual(nucleon_events.build_event(meta(contentType='application/json'), b'{"a": [1]}', 1).body, {'a': [1]})
        self.assertEqual(nucleon_events.build_event(meta(contentType='application/json'), b'[1, 2]', 1).body, [1, 2])
        self.assertEqual(nucleon_events.build_event(meta(contentType='application/json'), b'not json', 1).body, b'not json')
        self.assertEqual(nucleon_events.build_event(meta(contentType='application/json; charset=utf-8'), b'{}', 1).body, b'{}')

    def test_stream_fields(self):
        event = nucleon_events.build_event(meta(topic='orders', shardId=3, offset='1042', key='b3JkZXItMQ=='), b'', 1)
        self.assertEqual((event.topic, event.shard_id, event.offset, event.key), ('orders', 3, 1042, b'order-1'))
        offset = nuclio_sdk.QualifiedOffset.from_event(event)
        self.assertEqual(offset.compile_explicit_ack_message()['attributes'], {'topic': 'orders', 'partition': 3, 'offset': 1042})

    def test_repr_is_json(self):
        event = nucleon_events.build_event(meta(), b'\x00\x01', 1)
        self.assertEqual(json.loads(repr(event))['body'], 'AAE=')


class Results(unittest.TestCase):
    def encode(self, output):
        return nucleon_events.encode_result(output)

    def test_str_is_utf8_text(self):
        self.assertEqual(self.encode('héllo'), ({'contentType': 'text/plain; charset=utf-8'}, 'héllo'.encode()))

    def test_bytes_are_octet_stream(self):
        self.assertEqual(self.encode(b'\x00\xff'), ({'contentType': 'application/octet-stream'}, b'\x00\xff'))

    def test_dicts_and_lists_are_json_like_nuclio_writes_it(self):
        self.assertEqual(self.encode({'a': 1, 'b': [1, 2]}), ({'contentType': 'application/json'}, b'{"a": 1, "b": [1, 2]}'))
        self.assertEqual(self.encode([{'a': 1}]), ({'contentType': 'application/json'}, b'[{"a": 1}]'))

    def test_status_tuple(self):
        self.assertEqual(self.encode((201, 'made')), ({'statusCode': 201, 'contentType': 'text/plain; charset=utf-8'}, b'made'))
        self.assertEqual(self.encode((400, {'e': 'x'})), ({'statusCode': 400, 'contentType': 'application/json'}, b'{"e": "x"}'))

    def test_response_object(self):
        response = nuclio_sdk.Response(body='created', headers={'x-a': 'b', 'x-n': 3, 'x-l': ['1', 2], 'x-none': None},
                                       content_type='text/x-custom', status_code=201)
        self.assertEqual(self.encode(response), ({'statusCode': 201, 'headers': {'x-a': 'b', 'x-n': '3', 'x-l': ['1', '2']},
                                                  'contentType': 'text/x-custom'}, b'created'))

    def test_response_without_content_type_takes_it_from_the_body(self):
        self.assertEqual(self.encode(nuclio_sdk.Response(body=b'\x01'))[0]['contentType'], 'application/octet-stream')
        self.assertEqual(self.encode(nuclio_sdk.Response(body={'a': 1})), ({'statusCode': 200, 'contentType': 'application/json'}, b'{"a": 1}'))
        self.assertEqual(nuclio_sdk.Response().content_type, 'text/plain')  # what Nuclio's SDK reads back

    def test_none_is_an_empty_body(self):
        self.assertEqual(self.encode(None), ({}, b''))

    def test_other_values_are_their_str(self):
        self.assertEqual(self.encode(42)[1], b'42')

    def test_exception_with_response(self):
        err = nuclio_sdk.ExceptionWithResponse(409, body='conflict')
        self.assertEqual(self.encode(err), ({'statusCode': 409, 'contentType': 'text/plain; charset=utf-8'}, b'conflict'))

    def test_bad_status_is_a_type_error(self):
        with self.assertRaises(TypeError):
            self.encode(('abc', 'x'))


class Sdk(unittest.TestCase):
    def test_logger_formats_like_nuclio_and_adds_bound_fields(self):
        lines = []
        logger = nuclio_sdk.Logger(sink=lambda level, message, fields: lines.append((level, message, fields)))
        logger.info('plain %s', 'args')
        logger.bind(request='r1')
        logger.warn_with('with fields', n=1)
        logger.error('%d%%', 5)
        self.assertEqual(lines, [('info', 'plain args', {}), ('warn', 'with fields', {'n': 1, 'request': 'r1'}),
                                 ('error', '5%', {'request': 'r1'})])

    def test_logger_level_filters(self):
        lines = []
        logger = nuclio_sdk.Logger(level='INFO', sink=lambda *a: lines.append(a))
        logger.debug('no')
        logger.info('yes')
        self.assertEqual([line[1] for line in lines], ['yes'])

    def test_context_shape(self):
        context = nuclio_sdk.Context(worker_id=2, trigger=nuclio_sdk.TriggerInfo('http', 'web'))
        context.user_data.connection = 'db'
        self.assertEqual(context.user_data.connection, 'db')
        self.assertIs(context.Response, nuclio_sdk.Response)
        self.assertEqual((context.worker_id, context.trigger_name, context.trigger.kind), (2, 'web', 'http'))
        # Outside a wrapper there is no processor to call through.
        with self.assertRaisesRegex(RuntimeError, 'no processor connection'):
            context.platform.call_function('other', nuclio_sdk.Event())

    def test_json_encoder_never_fails_on_odd_values(self):
        text = nuclio_sdk.json_encoder.dumps({'nan': math.nan, 'inf': -math.inf, 'obj': object, 'when': datetime.date(2024, 1, 2)})
        self.assertEqual(json.loads(text), {'nan': 'NaN', 'inf': '-Infinity', 'obj': "<class 'object'>",
                                            'when': 'datetime.date(2024, 1, 2)'})


if __name__ == '__main__':
    unittest.main()
