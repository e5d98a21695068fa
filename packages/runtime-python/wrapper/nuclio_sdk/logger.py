import logging
import sys

import nuclio_sdk.json_encoder

_LEVELS = {'debug': logging.DEBUG, 'info': logging.INFO, 'warn': logging.WARNING, 'error': logging.ERROR}


def _stderr_sink(level, message, fields):
    extra = ' {0}'.format(nuclio_sdk.json_encoder.dumps(fields)) if fields else ''
    sys.stderr.write('Python> [{0}] {1}{2}\n'.format(level, message, extra))


class Logger(object):
    """``context.logger``. Under Nucleon each line becomes a LOG frame that the processor
    writes to its JSON log with the function, worker and event id; built by hand (in a unit
    test) it writes to stderr."""

    def __init__(self, level=logging.DEBUG, name='nuclio_sdk', sink=None):
        self.name = name
        self._level = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
        if not isinstance(self._level, int):
            self._level = logging.DEBUG
        self._bound_variables = {}
        self._sink = sink or _stderr_sink

    def debug(self, message, *args):
        self._log('debug', message, args, None)

    def info(self, message, *args):
        self._log('info', message, args, None)

    def warn(self, message, *args):
        self._log('warn', message, args, None)

    warning = warn

    def error(self, message, *args):
        self._log('error', message, args, None)

    def debug_with(self, message, *args, **kw_args):
        self._log('debug', message, args, kw_args)

    def info_with(self, message, *args, **kw_args):
        self._log('info', message, args, kw_args)

    def warn_with(self, message, *args, **kw_args):
        self._log('warn', message, args, kw_args)

    warning_with = warn_with

    def error_with(self, message, *args, **kw_args):
        self._log('error', message, args, kw_args)

    def bind(self, **kw_args):
        """Fields added to every later line of this logger."""
        self._bound_variables.update(kw_args)

    def set_handler(self, handler_name, file, formatter):
        """Nuclio API kept for compatibility; Nucleon routes lines to the processor itself."""

    def _log(self, level, message, args, kw_args):
        if _LEVELS[level] < self._level:
            return
        text = str(message)
        if args:
            try:
                text = text % args
            except (TypeError, ValueError):
                text = ' '.join([text] + [str(arg) for arg in args])
        fields = dict(kw_args or {})
        fields.update(self._bound_variables)
        self._sink(level, text, fields)
