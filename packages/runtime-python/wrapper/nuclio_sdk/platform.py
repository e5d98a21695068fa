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

    async def explicit_ack(self, qualified_offset):
        """Acknowledge a stream event before the handler returns (``explicitAckMode``)."""
        if self._ack_callback is not None:
            self._ack_callback(getattr(qualified_offset, '_event_id', None))
        elif self._control_callback is not None:
            await self._control_callback(qualified_offset.compile_explicit_ack_message())
        else:
            raise RuntimeError('Cannot send explicit ack since control callback was not initialized')

    def set_drain_callback(self, callback):
        """Called (no arguments) once the processor asks this worker to drain."""
        self._drain_callback = callback

    def set_termination_callback(self, callback):
        """Called (no arguments) before this worker's process exits."""
        self._termination_callback = callback

    def call_function(self, function_name, event, node=None, timeout=None, service_name_override=None):
        raise NotImplementedError('context.platform.call_function is not supported by Nucleon: call the other '
                                  "function's HTTP trigger directly (for example with urllib.request)")

    def _on_signal(self, callback_type='termination'):
        callback = self._termination_callback if callback_type == 'termination' else self._drain_callback
        if callback is not None:
            return callback()
        return None
