import { describe, expect, it } from 'vitest';
import { buildKey, compilerErrors, csproj, type SourceFile } from './dotnet-build.js';
import { launchFor } from './dotnet-runtime-spec.js';
import { compilerChoice, type DotnetToolchain } from './dotnet-toolchain.js';

const file = (name: string, content: string): SourceFile => ({ path: `/fn/${name}`, name, content: Buffer.from(content) });
const mono: DotnetToolchain = { kind: 'mcs', mcs: 'mcs', mono: 'mono', version: 'Mono C# compiler version 6.8.0.105' };

describe('compilerErrors', () => {
  it('rewrites mcs diagnostics as file:line:col and keeps only the errors', () => {
    const output = [
      '/fn/main.cs(3,7): warning CS0168: The variable `x\' is declared but never used',
      '/fn/main.cs(8,16): error CS0103: The name `undefinedThing\' does not exist in the current context',
      'Compilation failed: 1 error(s), 1 warnings',
    ].join('\n');
    expect(compilerErrors(output)).toBe('/fn/main.cs:8:16: error CS0103: The name `undefinedThing\' does not exist in the current context');
  });

  it('drops the project suffix dotnet build adds and de-duplicates repeated errors', () => {
    const line = '/fn/main.cs(8,16): error CS0103: The name \'undefinedThing\' does not exist in the current context [/cache/x/handler.csproj]';
    expect(compilerErrors(`${line}\n${line}\nBuild FAILED.`)).toBe('/fn/main.cs:8:16: error CS0103: The name \'undefinedThing\' does not exist in the current context');
  });

  it('keeps the whole output when no line looks like a compiler error', () => {
    expect(compilerErrors('error MSB1009: Project file does not exist.\n')).toBe('error MSB1009: Project file does not exist.');
  });
});

describe('buildKey', () => {
  it('changes with the handler source, the wrapper and the toolchain, and only with them', () => {
    const wrapper = [file('Program.cs', 'w')];
    const base = buildKey(mono, wrapper, [file('main.cs', 'a')]);
    expect(buildKey(mono, wrapper, [file('main.cs', 'a')])).toBe(base);
    expect(buildKey(mono, wrapper, [file('main.cs', 'b')])).not.toBe(base);
    expect(buildKey(mono, [file('Program.cs', 'w2')], [file('main.cs', 'a')])).not.toBe(base);
    expect(buildKey({ ...mono, version: 'Mono C# compiler version 6.12' }, wrapper, [file('main.cs', 'a')])).not.toBe(base);
    expect(buildKey({ kind: 'dotnet', dotnet: 'dotnet', version: '8.0.100' }, wrapper, [file('main.cs', 'a')])).not.toBe(base);
  });
});

describe('csproj', () => {
  it('targets the SDK\'s framework, compiles wrapper and handler with the wrapper\'s entry point, and keeps handler.csproj\'s packages', () => {
    const handlerProject = file('handler.csproj', '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup></Project>');
    const project = csproj('9.0.101', [file('Program.cs', '')], [file('main.cs', '')], [handlerProject]);
    expect(project).toContain('<TargetFramework>net9.0</TargetFramework>');
    expect(project).toContain('<StartupObject>Nucleon.Wrapper.Program</StartupObject>');
    expect(project).toContain('<Compile Include="/fn/Program.cs" />');
    expect(project).toContain('<Compile Include="/fn/main.cs" />');
    expect(project).toContain('<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />');
  });
});

describe('launch and settings', () => {
  it('starts an .exe with mono and a .dll with dotnet', () => {
    expect(launchFor('/c/handler.exe', {})).toEqual({ command: 'mono', args: ['/c/handler.exe'] });
    expect(launchFor('/c/out/handler.dll', {})).toEqual({ command: 'dotnet', args: ['/c/out/handler.dll'] });
  });

  it('reads NUCLEON_DOTNET_COMPILER and refuses unknown values', () => {
    expect(compilerChoice({})).toBe('auto');
    expect(compilerChoice({ NUCLEON_DOTNET_COMPILER: 'mcs' })).toBe('mcs');
    expect(() => compilerChoice({ NUCLEON_DOTNET_COMPILER: 'csc' })).toThrow(/auto, dotnet, mcs/);
  });
});
