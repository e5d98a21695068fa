"""Nucleon's Python wrapper: runs one Nuclio Python handler for one processor worker.

Started by @nucleon/runtime-python as ``python3 -u nucleon_wrapper.py`` with the NUCLEON_*
variables of docs/protocol.md. It imports the handler, connects to the processor's Unix
socket, says HELLO, waits for WELCOME, runs ``init_context`` and answers READY (or FATAL),
then serves EVENT frames until TERMINATE or the end of the stream. Stdlib only, Python >= 3.9.

A plain ``def`` handler runs events one at a time (maxInFlight 1); an ``async def`` handler
runs up to ASYNC_MAX_IN_FLIGHT events at once on one asyncio loop.

asyncio is imported only where a coroutine is run: it is most of this wrapper's own import
time, which a function's cold start waits for, and a plain ``def`` handler never needs it.
"""

import inspect
import os
import signal
import socket
import sys
import threading
import time
import traceback

WRAPPER_DIR = os.path.dirname(os.path.abspath(__file__))
if WRAPPER_DIR not in sys.path:
    sys.path.insert(0, WRAPPER_DIR)

import nucleon_calls  # noqa: E402
from nucleon_connection import Connection, current_event  # noqa: E402
import nucleon_batch  # noqa: E402
import nucleon_events  # noqa: E402
import nucleon_handler  # noqa: E402
import nucleon_protocol as proto  # noqa: E402
import nuclio_sdk  # noqa: E402  - imported before the function directory joins sys.path, so this shim wins



def _max_in_flight(value):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 64


ASYNC_MAX_IN_FLIGHT = _max_in_flight(os.environ.get('NUCLEON_PYTHON_MAX_IN_FLIGHT'))
CONNECT_TIMEOUT_S = 10.0
HOOK_TIMEOUT_S = 5.0
EXIT_BROKEN = 3


class Wrapper(object):
    def __init__(self, env):
        self.env = env
        self.function_dir = os.path.abspath(env['NUCLEON_FUNCTION_DIR'])
        self.handler_spec = env['NUCLEON_HANDLER']
        self.module = None
        self.entry = None
        self.failure = None
        self.conn = None
        self.context = None
        self.loop = None
        self.calls = None

    # -- start -------------------------------------------------------------------------

    def load(self):
        """Import the handler before connecting: HELLO must say whether it is async."""
        os.chdir(self.function_dir)
        sys.path.insert(0, self.function_dir)
        try:
            self.module, self.entry = nucleon_handler.load_handler(self.handler_spec, self.function_dir)
        except nucleon_handler.LoadFailure as failure:
            self.failure = failure

    @property
    def concurrent(self):
        return self.entry is not None and nucleon_handler.is_async(self.entry)

    def connect(self):
        path = self.env['NUCLEON_WRAPPER_SOCKET']
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                self.conn = Connection(sock)
                return
            except (FileNotFoundError, ConnectionRefusedError):
                sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def handshake(self):
        self.conn.send_json(proto.HELLO, 0, {
            'versions': list(proto.PROTOCOL_VERSIONS),
            'runtime': 'python',
            'runtimeVersion': sys.version.split()[0],  # what platform.python_version() says, without importing it
            'pid': os.getpid(),
            'maxInFlight': ASYNC_MAX_IN_FLIGHT if self.concurrent else 1,
            'batching': True,
        })
        frame = self.conn.read()
        if frame is None:
            exit_now(0, 'the processor closed the connection before WELCOME')
        if frame.type == proto.TERMINATE:
            exit_now(0, 'the processor refused the handshake: {0}'.format(frame.json().get('reason', '')))
        if frame.type != proto.WELCOME:
            raise proto.ProtocolError('expected WELCOME, got {0}'.format(proto.TYPE_NAMES[frame.type]))
        welcome = frame.json()
        if welcome.get('version') not in proto.PROTOCOL_VERSIONS:
            raise proto.ProtocolError('WELCOME chose protocol version {0!r}; this wrapper speaks {1}'.format(
                welcome.get('version'), list(proto.PROTOCOL_VERSIONS)))
        return welcome

    def fatal(self, failure):
        try:
            self.conn.send_json(proto.FATAL, 0, {'message': failure.message, 'kind': failure.kind, 'stack': failure.stack})
        except OSError:
            # The processor still logs stderr, so the reason is not lost.
            exit_now(1, '{0}: {1}\n{2}'.format(failure.kind, failure.message, failure.stack))
        exit_now(1)

    def build_context(self, welcome):
        platform_ = nuclio_sdk.Platform('local')
        platform_._ack_callback = self.conn.ack
        self.calls = nucleon_calls.Calls(self.conn, nucleon_calls.CAPABILITY in (welcome.get('capabilities') or []))
        platform_._call_callback = self.calls.call_function
        worker_id = welcome.get('workerId', self.env.get('NUCLEON_WORKER_ID'))
        self.context = nuclio_sdk.Context(
            logger=nuclio_sdk.Logger(name=welcome.get('functionName') or 'nuclio_sdk', sink=self.conn.log_sink),
            platform=platform_,
            worker_id=_int_or(worker_id),
            trigger=nuclio_sdk.TriggerInfo(self.env.get('NUCLEON_TRIGGER_KIND', ''), self.env.get('NUCLEON_TRIGGER_NAME', '')),
            function_name=welcome.get('functionName') or self.env.get('NUCLEON_FUNCTION_NAME'),
        )

    def init_context(self):
        init = getattr(self.module, 'init_context', None)
        if init is None:
            return
        try:
            result = init(self.context)
            if inspect.isawaitable(result):
                self.run_coroutine(result)
        except Exception as err:  # noqa: BLE001 - reported to the processor as FATAL init
            self.fatal(nucleon_handler.init_failure(err, self.function_dir))

    def run_coroutine(self, awaitable):
        import asyncio
        if self.loop is None:
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
        return self.loop.run_until_complete(awaitable)

    # -- events ------------------------------------------------------------------------

    def begin_event(self, frame):
        """Decodes an EVENT (meta, body) or an EVENT_BATCH (a list of them) and marks it in
        flight; ProtocolError for a malformed frame."""
        if frame.id == 0 or frame.id in self.conn.in_flight:
            raise proto.ProtocolError('EVENT with id {0}, which is 0 or already in flight'.format(frame.id))
        decoded = nucleon_batch.decode_batch(frame) if frame.type == proto.EVENT_BATCH else frame.meta_body()
        self.conn.in_flight.add(frame.id)
        return decoded

    @staticmethod
    def handler_input(frame, decoded):
        """What the handler is called with: a nuclio_sdk.Event, or a list of them for a batch."""
        if frame.type == proto.EVENT_BATCH:
            return nucleon_batch.build_events(decoded, frame.id)
        return nucleon_events.build_event(decoded[0], decoded[1], frame.id)

    def finish_event(self, frame_id, output=None, error=None, batch=False):
        """Encodes the answer, leaves the event and sends RESPONSE (RESPONSE_BATCH) or ERROR."""
        data = None
        if error is None and batch:
            try:
                data = nucleon_batch.encode_batch_frame(frame_id, output)
            except Exception as err:  # noqa: BLE001 - a result that is not a list of responses is the handler's error
                error = err
        elif error is None:
            try:
                data = proto.encode_frame(proto.RESPONSE, frame_id, proto.encode_meta_body(*nucleon_events.encode_result(output)))
            except Exception as err:  # noqa: BLE001 - an unsendable result is the handler's error
                error = err
        elif isinstance(error, nuclio_sdk.ExceptionWithResponse) and not batch:
            # A batch has no single response to give: its ExceptionWithResponse fails every event, as any exception does.
            try:
                data = proto.encode_frame(proto.RESPONSE, frame_id, proto.encode_meta_body(*nucleon_events.encode_result(error)))
                error = None
            except Exception as err:  # noqa: BLE001
                error = err
        if data is None:
            data = proto.encode_json_frame(proto.ERROR, frame_id, error_payload(error))
        # Leave first: a log line racing with the answer must not carry a finished event's id.
        self.conn.in_flight.discard(frame_id)
        self.conn.send(data)

    def serve_sync(self):
        while True:
            frame = self.conn.read()
            if frame is None or frame.type == proto.TERMINATE:
                self.terminate()
            elif frame.type in (proto.EVENT, proto.EVENT_BATCH):
                self.handle_sync(frame)
            elif frame.type == proto.DRAIN:
                self.drained()
            else:
                raise proto.ProtocolError('unexpected {0} after the handshake'.format(proto.TYPE_NAMES[frame.type]))

    def handle_sync(self, frame):
        decoded = self.begin_event(frame)
        token = current_event.set(frame.id)
        try:
            output = self.entry(self.context, self.handler_input(frame, decoded))
            if inspect.isawaitable(output):
                output = self.run_coroutine(output)
        except Exception as err:  # noqa: BLE001 - the handler raised: ERROR, keep serving
            self.finish_event(frame.id, error=capture(err), batch=frame.type == proto.EVENT_BATCH)
        else:
            self.finish_event(frame.id, output, batch=frame.type == proto.EVENT_BATCH)
        finally:
            current_event.reset(token)

    def serve_async(self):
        import asyncio
        loop = self.loop or asyncio.new_event_loop()
        self.loop = loop
        asyncio.set_event_loop(loop)
        tasks = set()

        async def run_event(frame, decoded):
            current_event.set(frame.id)
            try:
                output = self.entry(self.context, self.handler_input(frame, decoded))
                if inspect.isawaitable(output):
                    output = await output
            except (Exception, asyncio.CancelledError) as err:  # noqa: BLE001 - a cancelled handler must still answer
                self.finish_event(frame.id, error=capture(err), batch=frame.type == proto.EVENT_BATCH)
            else:
                self.finish_event(frame.id, output, batch=frame.type == proto.EVENT_BATCH)

        async def drain():
            while tasks:
                await asyncio.wait(set(tasks))
            await self.run_hook_async('drain')
            self.conn.send(proto.encode_frame(proto.DRAINED, 0))

        async def terminate():
            await self.run_hook_async('termination')
            exit_now(0)

        def on_frame(frame):
            try:
                if frame is None or frame.type == proto.TERMINATE:
                    loop.create_task(terminate())
                elif frame.type in (proto.EVENT, proto.EVENT_BATCH):
                    task = loop.create_task(run_event(frame, self.begin_event(frame)))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                elif frame.type == proto.DRAIN:
                    loop.create_task(drain())
                else:
                    raise proto.ProtocolError('unexpected {0} after the handshake'.format(proto.TYPE_NAMES[frame.type]))
            except proto.ProtocolError as err:
                broken(err)

        def read_frames():
            try:
                while True:
                    frame = self.conn.read()
                    if frame is not None and frame.type == proto.CALL_RESULT:
                        self.calls.deliver(frame)  # its handler may be blocking the loop while it waits
                        continue
                    loop.call_soon_threadsafe(on_frame, frame)
                    if frame is None or frame.type == proto.TERMINATE:
                        return
            except (proto.ProtocolError, OSError) as err:
                loop.call_soon_threadsafe(broken, err)

        self.calls.reader_running = True
        threading.Thread(target=read_frames, name='nucleon-reader', daemon=True).start()
        # SIGTERM on the loop, so an async termination callback runs on it rather than inside a signal handler.
        loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(terminate()))
        loop.run_forever()

    def drained(self):
        self.run_hook('drain')
        self.conn.send(proto.encode_frame(proto.DRAINED, 0))

    def terminate(self):
        self.run_hook('termination')
        exit_now(0)

    def run_hook(self, kind):
        """The handler's drain or termination callback (context.platform.set_*_callback), from
        synchronous code; an async callback runs to its end on the wrapper's loop."""
        result = self.start_hook(kind)
        if result is not None:
            import asyncio
            try:
                self.run_coroutine(asyncio.wait_for(result, HOOK_TIMEOUT_S))
            except Exception as err:  # noqa: BLE001
                self.hook_failed(kind, err)

    async def run_hook_async(self, kind):
        import asyncio
        result = self.start_hook(kind)
        if result is not None:
            try:
                await asyncio.wait_for(result, HOOK_TIMEOUT_S)
            except Exception as err:  # noqa: BLE001
                self.hook_failed(kind, err)

    def start_hook(self, kind):
        """Calls the callback; returns its awaitable when it is async. Never raises."""
        try:
            result = self.context.platform._on_signal(callback_type=kind)
        except Exception as err:  # noqa: BLE001 - a failing hook is logged, never fatal
            self.hook_failed(kind, err)
            return None
        return result if inspect.isawaitable(result) else None

    def hook_failed(self, kind, err):
        self.context.logger.error_with('{0} callback raised'.format(kind), exc='{0}: {1}'.format(type(err).__name__, err),
                                       traceback=''.join(traceback.format_exception(type(err), err, err.__traceback__)))


def capture(err):
    """The exception with its traceback formatted from the handler's frames on (the
    wrapper's own frames above them tell the reader nothing)."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None and _is_wrapper_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    err.__nucleon_stack__ = ''.join(traceback.format_exception(type(err), err, tb))
    return err


def _is_wrapper_file(filename):
    return os.path.dirname(os.path.abspath(filename)) == WRAPPER_DIR and os.path.basename(filename).startswith('nucleon_')


def error_payload(err):
    stack = getattr(err, '__nucleon_stack__', None) or ''.join(traceback.format_exception(type(err), err, err.__traceback__))
    return {'message': str(err) or type(err).__name__, 'type': type(err).__name__, 'stack': stack}


def broken(err):
    exit_now(EXIT_BROKEN, 'protocol error, closing: {0}'.format(err))


def exit_now(code, message=None):
    """Leave at once: handler threads or a busy loop must not keep a finished wrapper alive."""
    if message:
        sys.stderr.write('nucleon python wrapper: {0}\n'.format(message))
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _int_or(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def main():
    missing = [name for name in ('NUCLEON_WRAPPER_SOCKET', 'NUCLEON_HANDLER', 'NUCLEON_FUNCTION_DIR') if not os.environ.get(name)]
    if missing:
        exit_now(2, 'missing environment variables {0}; this program is started by the Nucleon processor'.format(
            ', '.join(missing)))
    # The processor owns this process's lifetime (DRAIN, TERMINATE, SIGKILL); a Ctrl-C meant
    # for it must not kill the handler in the middle of an event.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    wrapper = Wrapper(dict(os.environ))
    try:
        wrapper.load()
        wrapper.connect()
        welcome = wrapper.handshake()
        if wrapper.failure is not None:
            wrapper.fatal(wrapper.failure)
        wrapper.build_context(welcome)
        wrapper.init_context()
        wrapper.conn.send_json(proto.READY, 0, {})
        # A SIGTERM sent to the wrapper itself (a whole process group stopped, a container
        # runtime) still runs the handler's termination callback before the process exits.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: wrapper.terminate())
        if wrapper.concurrent:
            wrapper.serve_async()
        else:
            wrapper.serve_sync()
    except proto.ProtocolError as err:
        broken(err)
    except (BrokenPipeError, ConnectionResetError):
        exit_now(0, 'the processor closed the connection')
    except OSError as err:
        exit_now(1, 'cannot talk to the processor at {0}: {1}'.format(os.environ.get('NUCLEON_WRAPPER_SOCKET'), err))


if __name__ == '__main__':
    main()
