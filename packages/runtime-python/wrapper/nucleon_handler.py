"""Loading the user's handler module and entry point from ``spec.handler``."""

import importlib
import inspect
import os
import re
import sys
import traceback

# Nuclio's form, <package>:<entrypoint>, where <package> is a dotted path (foo.bar is
# foo/bar.py). Also accepted: a file name (main.py:handler, lib/main.py:handler).
_SPEC = re.compile(r'^([\w\-]+(?:\.[\w\-]+)*):(\w+)$')


class LoadFailure(Exception):
    """The handler cannot run. ``kind`` is the protocol's FATAL kind."""

    def __init__(self, kind, message, stack=''):
        super(LoadFailure, self).__init__(message)
        self.kind = kind
        self.message = message
        self.stack = stack


def parse_handler(spec):
    """``'main:handler'`` -> ``('main', 'handler')``."""
    text = spec.strip()
    if ':' in text:
        module_part, _, entry = text.rpartition(':')
        if module_part.endswith('.py'):
            module_part = module_part[:-3]
        text = module_part.replace('/', '.').replace(os.sep, '.').lstrip('.') + ':' + entry
    match = _SPEC.match(text)
    if not match:
        raise LoadFailure('handler-not-found',
                          'malformed handler {0!r}: expected <module>:<function>, for example main:handler '
                          '(the function handler in main.py)'.format(spec))
    return match.group(1), match.group(2)


def load_handler(spec, function_dir):
    """Imports the module and returns (module, entry point). Raises LoadFailure."""
    module_name, entry_name = parse_handler(spec)
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as err:
        raise LoadFailure('handler-load', _syntax_message(err, function_dir), traceback.format_exc())
    except ModuleNotFoundError as err:
        if err.name and (module_name == err.name or module_name.startswith(err.name + '.')):
            raise LoadFailure('handler-not-found', 'handler {0!r}: no module {1!r} in {2} ({3})'.format(
                spec, module_name, function_dir, _python_files(function_dir)), traceback.format_exc())
        raise LoadFailure('handler-load', _exception_message('importing {0}'.format(module_name), err, function_dir),
                          traceback.format_exc())
    except BaseException as err:  # noqa: BLE001 - any import-time failure (even SystemExit) is a load failure
        raise LoadFailure('handler-load', _exception_message('importing {0}'.format(module_name), err, function_dir),
                          traceback.format_exc())
    entry = getattr(module, entry_name, None)
    if entry is None or not callable(entry):
        defined = sorted(name for name, value in vars(module).items()
                         if callable(value) and not name.startswith('_') and getattr(value, '__module__', None) == module.__name__)
        where = _module_file(module, function_dir)
        problem = ('{1} in {0} is of type {2}, not a function'.format(where, entry_name, type(entry).__name__) if entry is not None
                   else '{0} has no function {1}'.format(where, entry_name))
        raise LoadFailure('handler-not-found', 'handler {0!r}: {1}; it defines: {2}'.format(
            spec, problem, ', '.join(defined) or 'no functions'))
    return module, entry


def is_async(entry):
    """True for ``async def`` handlers (and objects whose ``__call__`` is ``async def``)."""
    return inspect.iscoroutinefunction(entry) or inspect.iscoroutinefunction(getattr(entry, '__call__', None))


def user_frame(tb, function_dir):
    """The innermost traceback frame inside the function directory: (file, line) or None."""
    found = None
    root = os.path.realpath(function_dir) + os.sep
    for frame in traceback.extract_tb(tb):
        if os.path.realpath(frame.filename).startswith(root):
            found = (frame.filename, frame.lineno)
    return found


def _syntax_message(err, function_dir):
    location = '{0}:{1}'.format(_relative(err.filename or '?', function_dir), err.lineno or '?')
    text = '\n    {0}'.format(err.text.strip()) if err.text else ''
    return '{0}: {1}: {2}{3}'.format(location, type(err).__name__, err.msg, text)


def _exception_message(doing, err, function_dir):
    where = user_frame(err.__traceback__, function_dir)
    location = '{0}:{1}: '.format(_relative(where[0], function_dir), where[1]) if where else ''
    return '{0}{1} raised {2}: {3}'.format(location, doing, type(err).__name__, err)


def _module_file(module, function_dir):
    return _relative(getattr(module, '__file__', None) or module.__name__, function_dir)


def _relative(path, function_dir):
    try:
        relative = os.path.relpath(path, function_dir)
    except ValueError:
        return path
    return path if relative.startswith('..') else relative


def _python_files(function_dir):
    try:
        names = sorted(name for name in os.listdir(function_dir) if name.endswith('.py'))
    except OSError as err:
        return 'cannot list it: {0}'.format(err)
    return 'Python files there: {0}'.format(', '.join(names)) if names else 'it holds no .py files'


def init_failure(err, function_dir):
    return LoadFailure('init', _exception_message('init_context', err, function_dir), traceback.format_exc())

