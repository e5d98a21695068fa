"""The wrapper process end to end, against a fake processor speaking the protocol."""

import os
import struct
import time
import unittest

from tests.support import FakeProcessor
import nucleon_protocol as proto

ECHO = '''
import nuclio_sdk

inits = []

def init_context(context):
    inits.append(context.worker_id)
    context.user_data.greeting = 'hi'
    context.logger.info_with('init ran', worker=context.worker_id)

def handler(context, event):
    if event.path == '/raise':
        raise ValueError('bad input')
    if event.path == '/log':
        context.logger.info('about to answer %s', event.id)
        context.logger.warn_with('structured', n=3, nested={'a': [1]})
        return 'logged'
    if event.path == '/state':
        return {'inits': inits, 'greeting': context.user_data.greeting, 'worker': context.worker_id,
                'trigger': [context.trigger.kind, context.trigger.name], 'cwd': __import__('os').getcwd()}
    if event.path == '/conflict':
        raise nuclio_sdk.ExceptionWithResponse(409, body='taken')
    if event.path == '/unsendable':
        return (object(), 'x')
    return context.Response(body=event.body, headers={'x-echo': 'yes'}, content_type=event.content_type, status_code=201)
'''


class Harness(unittest.TestCase):
    def spawn(self, files, **kwargs):
        processor = FakeProcessor(files, **kwargs)
        self.addCleanup(processor.close)
        return processor


class Handshake(Harness):
    def test_hello_then_ready(self):
        p = self.spawn({'main.py': ECHO})
        hello, frames = p.start()
        self.assertEqual(hello['versions'], [1])
        self.assertEqual(hello['runtime'], 'python')
        self.assertEqual(hello['maxInFlight'], 1)
        self.assertEqual(hello['pid'], p.process.pid)
        self.assertRegex(hello['runtimeVersion'], r'^3\.\d+\.\d+')
        self.assertEqual([f.type for f in frames], [proto.LOG, proto.READY])
        self.assertEqual(frames[0].id, 0)
        self.assertEqual(frames[0].json(), {'level': 'info', 'message': 'init ran', 'with': {'worker': 0}})

    def test_async_handler_asks_for_many_in_flight(self):
        p = self.spawn({'main.py': 'async def handler(context, event):\n    return "x"\n'})
        hello, frames = p.start()
        self.assertEqual(hello['maxInFlight'], 64)
        self.assertEqual(frames[-1].type, proto.READY)

    def test_syntax_error_is_fatal_handler_load_with_file_and_line(self):
        p = self.spawn({'main.py': 'def handler(context, event):\n    return "unclosed\n'})
        _, frames = p.start()
        fatal = frames[-1]
        self.assertEqual(fatal.type, proto.FATAL)
        body = fatal.json()
        self.assertEqual(body['kind'], 'handler-load')
        self.assertRegex(body['message'], r'^main\.py:2: SyntaxError: ')
        self.assertIn('SyntaxError', body['stack'])
        self.assertEqual(p.wait(), 1)

    def test_missing_function_is_fatal_handler_not_found(self):
        p = self.spawn({'main.py': 'def handle(context, event):\n    pass\n'})
        _, frames = p.start()
        body = frames[-1].json()
        self.assertEqual(body['kind'], 'handler-not-found')
        self.assertIn('it defines: handle', body['message'])
        self.assertEqual(p.wait(), 1)

    def test_init_context_error_is_fatal_init(self):
        p = self.spawn({'main.py': 'def init_context(context):\n    raise KeyError("DB_URL")\n\ndef handler(c, e):\n    pass\n'})
        _, frames = p.start()
        body = frames[-1].json()
        self.assertEqual(body['kind'], 'init')
        self.assertEqual(body['message'], "main.py:2: init_context raised KeyError: 'DB_URL'")
        self.assertEqual(p.wait(), 1)

    def test_async_init_context_runs(self):
        p = self.spawn({'main.py': '''
            async def init_context(context):
                context.user_data.value = 'from async init'

            def handler(context, event):
                return context.user_data.value
        '''})
        p.start()
        answer, _ = p.call(1)
        self.assertEqual(answer.meta_body()[1], b'from async init')

    def test_a_version_it_does_not_speak_is_refused(self):
        p = self.spawn({'main.py': ECHO})
        p.accept()
        p.recv()
        p.send(proto.WELCOME, 0, proto.encode_json({'version': 2}))
        self.assertIsNone(p.recv())
        self.assertNotEqual(p.wait(), 0)
        self.assertIn('version 2', p.stderr())

    def test_terminate_instead_of_welcome_exits_zero(self):
        p = self.spawn({'main.py': ECHO})
        p.accept()
        p.recv()
        p.send(proto.TERMINATE, 0, proto.encode_json({'reason': 'no common version: processor [2], wrapper [1]'}))
        self.assertEqual(p.wait(), 0)


class Events(Harness):
    def setUp(self):
        self.p = self.spawn({'main.py': ECHO}, worker_id=1)
        self.p.start()

    def test_binary_body_round_trips_with_status_headers_and_content_type(self):
        body = bytes(range(256)) * 1000
        answer, _ = self.p.call(5, body, contentType='application/octet-stream', path='/echo')
        self.assertEqual(answer.type, proto.RESPONSE)
        meta, got = answer.meta_body()
        self.assertEqual(meta, {'statusCode': 201, 'headers': {'x-echo': 'yes'}, 'contentType': 'application/octet-stream'})
        self.assertEqual(got, body)

    def test_state_from_init_context_and_worker_facts(self):
        answer, _ = self.p.call(1, path='/state')
        meta, body = answer.meta_body()
        self.assertEqual(meta['contentType'], 'application/json')
        import json
        state = json.loads(body)
        self.assertEqual(state['inits'], [1])
        self.assertEqual(state['greeting'], 'hi')
        self.assertEqual(state['worker'], 1)
        self.assertEqual(state['trigger'], ['http', 'web'])
        self.assertEqual(os.path.realpath(state['cwd']), os.path.realpath(self.p.function_dir))

    def test_handler_error_is_an_error_frame_and_the_wrapper_keeps_serving(self):
        answer, _ = self.p.call(9, path='/raise')
        self.assertEqual(answer.type, proto.ERROR)
        error = answer.json()
        self.assertEqual((error['type'], error['message']), ('ValueError', 'bad input'))
        self.assertIn('main.py", line', error['stack'])
        self.assertNotIn('nucleon_wrapper.py', error['stack'])
        answer, _ = self.p.call(10, b'again', path='/echo', contentType='text/plain')
        self.assertEqual(answer.meta_body()[1], b'again')

    def test_logs_carry_the_event_id(self):
        answer, logs = self.p.call(77, path='/log')
        self.assertEqual(answer.meta_body()[1], b'logged')
        self.assertEqual([(f.type, f.id) for f in logs], [(proto.LOG, 77), (proto.LOG, 77)])
        self.assertEqual(logs[0].json(), {'level': 'info', 'message': 'about to answer ev-77'})
        self.assertEqual(logs[1].json(), {'level': 'warn', 'message': 'structured', 'with': {'n': 3, 'nested': {'a': [1]}}})

    def test_exception_with_response_answers_with_its_status(self):
        answer, _ = self.p.call(3, path='/conflict')
        self.assertEqual(answer.type, proto.RESPONSE)
        self.assertEqual(answer.meta_body(), ({'statusCode': 409, 'contentType': 'text/plain; charset=utf-8'}, b'taken'))

    def test_an_unsendable_result_is_an_error(self):
        answer, _ = self.p.call(4, path='/unsendable')
        self.assertEqual(answer.type, proto.ERROR)
        self.assertEqual(answer.json()['type'], 'TypeError')

    def test_drain_then_terminate(self):
        self.p.send(proto.DRAIN)
        self.assertEqual(self.p.recv().type, proto.DRAINED)
        self.p.send(proto.TERMINATE, 0, proto.encode_json({'reason': 'stopping'}))
        self.assertEqual(self.p.wait(), 0)

    def test_end_of_stream_exits_zero(self):
        self.p.sock.close()
        self.p.sock = None
        self.assertEqual(self.p.wait(), 0)

    def test_garbage_breaks_the_connection(self):
        self.p.sock.sendall(struct.pack('>IBI', 3, 16, 1))
        self.assertNotEqual(self.p.wait(), 0)
        self.assertIn('outside', self.p.stderr())

    def test_unknown_frame_type_breaks_the_connection(self):
        self.p.send(99, 0, b'')
        self.assertNotEqual(self.p.wait(), 0)


ASYNC = '''
import asyncio

async def handler(context, event):
    delay = float(event.fields.get('delay', '0'))
    context.logger.info('start')
    await asyncio.sleep(delay)
    if event.path == '/raise':
        raise RuntimeError('async failure')
    if event.path == '/ack':
        import nuclio_sdk
        await context.platform.explicit_ack(nuclio_sdk.QualifiedOffset.from_event(event))
    return {'id': event.id, 'delay': delay}
'''


class AsyncEvents(Harness):
    def setUp(self):
        self.p = self.spawn({'main.py': ASYNC})
        self.p.start()

    def test_events_run_concurrently_and_answer_in_completion_order(self):
        started = time.monotonic()
        for frame_id, delay in ((1, '0.6'), (2, '0.3'), (3, '0')):
            self.p.event(frame_id, fields={'delay': delay})
        answers = []
        while len(answers) < 3:
            frame = self.p.recv()
            if frame.type == proto.RESPONSE:
                answers.append(frame.id)
            else:
                self.assertEqual(frame.type, proto.LOG)
        self.assertEqual(answers, [3, 2, 1])
        self.assertLess(time.monotonic() - started, 1.2)

    def test_error_in_one_event_leaves_the_others(self):
        self.p.event(1, fields={'delay': '0.2'})
        self.p.event(2, path='/raise')
        frames = self.p.recv_until(proto.RESPONSE, 1)
        kinds = {(f.type, f.id) for f in frames if f.type != proto.LOG}
        self.assertEqual(kinds, {(proto.ERROR, 2), (proto.RESPONSE, 1)})

    def test_drain_waits_for_events_in_flight(self):
        self.p.event(1, fields={'delay': '0.3'})
        self.p.recv_until(proto.LOG, 1)
        self.p.send(proto.DRAIN)
        frames = self.p.recv_until(proto.DRAINED)
        self.assertEqual([(f.type, f.id) for f in frames], [(proto.RESPONSE, 1), (proto.DRAINED, 0)])
        self.p.send(proto.TERMINATE, 0, proto.encode_json({'reason': 'done'}))
        self.assertEqual(self.p.wait(), 0)

    def test_explicit_ack(self):
        self.p.event(4, path='/ack', topic='t', shardId=0, offset='7')
        frames = self.p.recv_until(proto.RESPONSE, 4)
        self.assertEqual([(f.type, f.id) for f in frames if f.type != proto.LOG], [(proto.ACK, 4), (proto.RESPONSE, 4)])


class NuclioDocsHandler(Harness):
    def test_reference_example_runs_unchanged(self):
        # docs.nuclio.io, reference/runtimes/python: "Function and handler".
        p = self.spawn({'main.py': '''
            import nuclio_sdk

            def handler(context: nuclio_sdk.Context, event: nuclio_sdk.Event):
                context.logger.info_with('Invoked', method=event.method)
                return "Hello, from Nuclio :]"
        '''})
        p.start()
        answer, logs = p.call(1, method='GET')
        self.assertEqual(answer.meta_body(), ({'contentType': 'text/plain; charset=utf-8'}, b'Hello, from Nuclio :]'))
        self.assertEqual(logs[0].json(), {'level': 'info', 'message': 'Invoked', 'with': {'method': 'GET'}})


HOOKS = """
import asyncio

def init_context(context):
    def on_drain():
        open('drained.txt', 'w').write('drain ran')
    async def on_terminate():
        await asyncio.sleep(0.05)
        open('terminated.txt', 'w').write('termination ran')
    context.platform.set_drain_callback(on_drain)
    context.platform.set_termination_callback(on_terminate)

{kind} handler(context, event):
    return 'ok'
"""


class Hooks(Harness):
    def check(self, kind):
        p = self.spawn({'main.py': HOOKS.format(kind=kind)})
        p.start()
        p.send(proto.DRAIN)
        self.assertEqual(p.recv().type, proto.DRAINED)
        with open(os.path.join(p.function_dir, 'drained.txt')) as f:
            self.assertEqual(f.read(), 'drain ran')
        p.send(proto.TERMINATE, 0, proto.encode_json({'reason': 'stopping'}))
        self.assertEqual(p.wait(), 0)
        with open(os.path.join(p.function_dir, 'terminated.txt')) as f:
            self.assertEqual(f.read(), 'termination ran')

    def test_drain_and_termination_callbacks_run_for_a_sync_handler(self):
        self.check('def')

    def test_drain_and_termination_callbacks_run_for_an_async_handler(self):
        self.check('async def')

    def test_a_failing_callback_is_logged_and_the_wrapper_still_exits_cleanly(self):
        p = self.spawn({'main.py': """
            def init_context(context):
                context.platform.set_termination_callback(lambda: 1 / 0)

            def handler(context, event):
                return 'ok'
        """})
        p.start()
        p.send(proto.TERMINATE, 0, proto.encode_json({'reason': 'stopping'}))
        log = p.recv()
        self.assertEqual(log.type, proto.LOG)
        self.assertEqual(log.json()['message'], 'termination callback raised')
        self.assertIn('ZeroDivisionError', log.json()['with']['exc'])
        self.assertEqual(p.wait(), 0)


if __name__ == '__main__':
    unittest.main()
