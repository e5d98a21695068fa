// CodeMirror 6 with the language of the function's runtime.
import { basicSetup, EditorView } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { go } from '@codemirror/lang-go';
// The Extension type without a direct dependency on @codemirror/state.
type Extension = typeof basicSetup;

function languageFor(runtime: string): Extension[] {
  if (runtime.startsWith('nodejs')) return [javascript()];
  if (runtime.startsWith('python')) return [python()];
  if (runtime.startsWith('golang') || runtime.startsWith('go')) return [go()];
  return [];
}

export interface CodeEditor {
  view: EditorView;
  getText(): string;
}

export function createCodeEditor(parent: HTMLElement, text: string, runtime: string): CodeEditor {
  const view = new EditorView({ doc: text, extensions: [basicSetup, ...languageFor(runtime)], parent });
  return { view, getText: () => view.state.doc.toString() };
}
