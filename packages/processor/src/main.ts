#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// A scaled-to-zero function's first request waits for this start, and most of it is V8
// compiling the processor's modules: keep the compiled code on disk between starts (Node
// 22.1+; NODE_COMPILE_CACHE picks the folder, default <tmpdir>/node-compile-cache;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). Enabled before anything else is imported, so
// everything after it, the plugins included, is cached.
enableCompileCache?.();
await import('./processor-main.js');
