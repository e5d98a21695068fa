import { describe, expect, it } from 'vitest';
import { handlerForFile, nameFromPath, runtimeForFile } from './function-name.js';

describe('nameFromPath', () => {
  it('names a file after its basename without extension, lowercased, invalid characters replaced', () => {
    expect(nameFromPath('/src/My_Func.js')).toBe('my-func');
    expect(nameFromPath('/src/hello world!!.ts')).toBe('hello-world');
  });

  it('names a directory after itself and a function.yaml after its directory', () => {
    expect(nameFromPath('/work/Image-Resizer')).toBe('image-resizer');
    expect(nameFromPath('/work/echo/function.yaml')).toBe('echo');
  });

  it('never yields an empty or over-long name', () => {
    expect(nameFromPath('/src/___.js')).toBe('function');
    expect(nameFromPath(`/src/${'a'.repeat(70)}.js`)).toHaveLength(63);
  });
});

describe('runtimeForFile / handlerForFile', () => {
  it('infers the runtime from the extension', () => {
    expect(runtimeForFile('a.js')).toBe('nodejs');
    expect(runtimeForFile('a.mjs')).toBe('nodejs');
    expect(runtimeForFile('a.cjs')).toBe('nodejs');
    expect(runtimeForFile('a.ts')).toBe('typescript');
    expect(runtimeForFile('a.py')).toBeUndefined();
  });

  it('uses <basename>:handler', () => {
    expect(handlerForFile('/x/hello.ts')).toBe('hello:handler');
  });
});
