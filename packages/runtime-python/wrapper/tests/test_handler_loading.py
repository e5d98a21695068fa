import os
import shutil
import sys
import tempfile
import textwrap
import unittest

import tests.support  # noqa: F401
import nucleon_handler
from nucleon_handler import LoadFailure


class ParseHandler(unittest.TestCase):
    def test_nuclio_forms(self):
        self.assertEqual(nucleon_handler.parse_handler('main:handler'), ('main', 'handler'))
        self.assertEqual(nucleon_handler.parse_handler('foo.bar:entry'), ('foo.bar', 'entry'))
        self.assertEqual(nucleon_handler.parse_handler('my-func:handler'), ('my-func', 'handler'))

    def test_file_names_are_accepted(self):
        self.assertEqual(nucleon_handler.parse_handler('main.py:handler'), ('main', 'handler'))
        self.assertEqual(nucleon_handler.parse_handler('lib/main.py:handler'), ('lib.main', 'handler'))

    def test_malformed(self):
        for spec in ('main.handler', 'main:', ':handler', 'a b:c'):
            with self.subTest(spec=spec), self.assertRaises(LoadFailure) as caught:
                nucleon_handler.parse_handler(spec)
            self.assertEqual(caught.exception.kind, 'handler-not-found')
            self.assertIn('main:handler', caught.exception.message)


class LoadHandler(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='nucleon-load-')
        sys.path.insert(0, self.dir)
        self.names = []

    def tearDown(self):
        sys.path.remove(self.dir)
        for name in self.names:
            sys.modules.pop(name, None)
        shutil.rmtree(self.dir)

    def write(self, name, source):
        self.names.append(name.replace('/', '.')[:-3])
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(textwrap.dedent(source))

    def fail(self, spec):
        with self.assertRaises(LoadFailure) as caught:
            nucleon_handler.load_handler(spec, self.dir)
        return caught.exception

    def test_loads_a_function(self):
        self.write('m_ok.py', 'def handler(context, event):\n    return 1\n')
        module, entry = nucleon_handler.load_handler('m_ok:handler', self.dir)
        self.assertEqual(entry(None, None), 1)
        self.assertFalse(nucleon_handler.is_async(entry))

    def test_async_handlers_are_detected(self):
        self.write('m_async.py', 'async def handler(context, event):\n    return 1\n')
        self.assertTrue(nucleon_handler.is_async(nucleon_handler.load_handler('m_async:handler', self.dir)[1]))

    def test_packages(self):
        self.write('pkg_a/__init__.py', '')
        self.write('pkg_a/inner.py', 'def go(context, event):\n    return 2\n')
        self.names.append('pkg_a')
        self.assertEqual(nucleon_handler.load_handler('pkg_a.inner:go', self.dir)[1](None, None), 2)

    def test_syntax_error_names_file_and_line(self):
        self.write('m_syntax.py', 'def handler(context, event):\n    return (\n\nx = 1 +\n')
        failure = self.fail('m_syntax:handler')
        self.assertEqual(failure.kind, 'handler-load')
        self.assertRegex(failure.message, r'^m_syntax\.py:\d+: SyntaxError: ')

    def test_import_time_exception_names_file_and_line(self):
        self.write('m_raise.py', 'import os\n\nraise RuntimeError("no database")\n')
        failure = self.fail('m_raise:handler')
        self.assertEqual(failure.kind, 'handler-load')
        self.assertEqual(failure.message, 'm_raise.py:3: importing m_raise raised RuntimeError: no database')
        self.assertIn('Traceback', failure.stack)

    def test_missing_dependency_is_a_load_error(self):
        self.write('m_dep.py', 'import definitely_not_installed_xyz\n')
        failure = self.fail('m_dep:handler')
        self.assertEqual(failure.kind, 'handler-load')
        self.assertIn('definitely_not_installed_xyz', failure.message)

    def test_missing_module_lists_python_files(self):
        self.write('present.py', '')
        failure = self.fail('absent_mod:handler')
        self.assertEqual(failure.kind, 'handler-not-found')
        self.assertIn('present.py', failure.message)

    def test_missing_function_lists_what_the_module_defines(self):
        self.write('m_defs.py', 'import json\n\ndef init_context(context):\n    pass\n\ndef handle(context, event):\n    pass\n\nVALUE = 1\n')
        failure = self.fail('m_defs:handler')
        self.assertEqual(failure.kind, 'handler-not-found')
        self.assertIn('m_defs.py has no function handler; it defines: handle, init_context', failure.message)

    def test_not_callable(self):
        self.write('m_value.py', 'handler = 3\n')
        self.assertIn('handler in m_value.py is of type int, not a function', self.fail('m_value:handler').message)


if __name__ == '__main__':
    unittest.main()
