import types

import nuclio_sdk.logger
import nuclio_sdk.platform
import nuclio_sdk.response


class Context(object):
    """What ``init_context(context)`` and ``handler(context, event)`` receive: one per worker,
    so ``context.user_data`` carries state from ``init_context`` to every event."""

    def __init__(self, logger=None, platform=None, worker_id=None, trigger=None, logger_per_async_task=False,
                 function_name=None):
        self.platform = platform or nuclio_sdk.platform.Platform('local')
        self.logger = logger or nuclio_sdk.logger.Logger()
        self.user_data = types.SimpleNamespace()
        self.Response = nuclio_sdk.response.Response
        self.worker_id = worker_id
        self.trigger = trigger
        self.function_name = function_name
        if trigger is not None:
            # Nuclio keeps this for backwards compatibility.
            self.trigger_name = trigger.name
