class QualifiedOffset(object):
    """Where a stream event sits (topic, partition, offset), for explicit acks."""

    def __init__(self, topic, partition, offset):
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self._event_id = None

    @staticmethod
    def from_event(event):
        # Nuclio falls back to the path when the event has no topic.
        offset = QualifiedOffset(event.topic if event.topic else event.path, event.shard_id, event.offset)
        offset._event_id = getattr(event, '_nucleon_frame_id', None)
        return offset

    def compile_explicit_ack_message(self):
        return {
            'kind': 'streamMessageAck',
            'attributes': {'topic': self.topic, 'partition': self.partition, 'offset': self.offset},
        }
