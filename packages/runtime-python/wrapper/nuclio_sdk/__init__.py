"""Nucleon's stand-in for Nuclio's ``nuclio_sdk`` package.

Handlers written for Nuclio import these names; the Nucleon Python wrapper builds the objects.
Stdlib only. Names and signatures follow Nuclio's Python SDK so handlers run unchanged.
"""

from nuclio_sdk.logger import Logger
from nuclio_sdk.event import Event, TriggerInfo
from nuclio_sdk.response import Response
from nuclio_sdk.exceptions import ExceptionWithResponse
from nuclio_sdk.qualified_offset import QualifiedOffset
from nuclio_sdk.platform import Platform
from nuclio_sdk.context import Context

__all__ = [
    'Context', 'Event', 'ExceptionWithResponse', 'Logger', 'Platform', 'QualifiedOffset', 'Response', 'TriggerInfo',
]
