class Platform(object):
    """``context.platform``: explicit acks and the drain and termination hooks."""

    def __init__(self, kind='local', namespace='default', connection_provider=None, on_control_callback=None):
        self.kind = kind
        self.namespace = namespace
        self._control_callback = on_control_callback
        self._termination_callback = None
        self._drain_callback = None
        # Set by the Nucleon wrapper: acknowledges the event with this frame id.
        self._ack_callback = None
        # Set by the Nucleon wrapper: (function_name, event, timeout) -> Response, through the processor.
        self._call_callback = None

    def explicit_ack(self, qualified_offset):
        """Acknowledge a stream event before the handler returns (``explicitAckMode``).

        Nuclio's is a coroutine (``await context.platform.explicit_ack(...)``). Under Nucleon
        the ACK frame goes out when this is called and the awaitable it returns is already
        done, so ``await`` works as in Nuclio and a plain ``def`` handler may call it without.
        """
        if self._ack_callback is not None:
            self._ack_callback(getattr(qualified_offset, '_event_id', None))
            return _Done()
        if self._control_callback is not None:
            return self._control_callback(qualified_offset.compile_explicit_ack_message())
        raise RuntimeError('Cannot send explicit ack since control callback was not initialized')

    def set_drain_callback(self, callback):
        """Called (no arguments) once the processor asks this worker to drain."""
        self._drain_callback = callback

    def set_termination_callback(self, callback):
        """Called (no arguments) before this worker's process exits."""
        self._termination_callback = callback

    def call_function(self, function_name, event, node=None, timeout=None, service_name_override=None):
        """Call another function on the platform this one runs on, through its HTTP trigger.

        Returns a Response with the callee's ``status_code``, ``headers`` (lower-case names)
        and ``body`` (bytes, parsed for ``application/json``), whatever the status. ``timeout``
        is in seconds. Raises when no function of that name is deployed (the message says so)
        or when it does not answer. ``node`` and ``service_name_override`` (Kubernetes
        addressing) have no meaning here and are ignored.
        """
        if self._call_callback is None:
            raise RuntimeError('context.platform.call_function: no processor connection to call through')
        return self._call_callback(function_name, event, timeout)

    def _on_signal(self, callback_type='termination'):
        callback = self._termination_callback if callback_type == 'termination' else self._drain_callback
        if callback is not None:
            return callback()
        return None


class _Done(object):
    """An awaitable that has already finished (a coroutine never awaited would warn)."""

    def __await__(self):
        return iter(())
