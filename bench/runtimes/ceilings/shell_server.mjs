// Shell ceiling for bench/runtimes: a bare node:http server that, like the shell runtime,
// forks and execs the same handler script once per request (stdin /dev/null, stdout and
// stderr piped, own process group) and answers with its stdout. At most SHELL_CONCURRENCY
// scripts run at once (the function's numWorkers); further requests wait, first in, first out.
import { spawn } from 'node:child_process';
import http from 'node:http';

const script = process.env.SHELL_SCRIPT;
const limit = Number(process.env.SHELL_CONCURRENCY || 1);
const queue = [];
let running = 0;

function run(res) {
  running++;
  const child = spawn(script, [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd: process.env.SHELL_CWD });
  const out = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.resume();
  child.on('close', (code) => {
    res.writeHead(code === 0 ? 200 : 500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(Buffer.concat(out));
    running--;
    if (queue.length) run(queue.shift());
  });
}

http.createServer((req, res) => {
  req.resume();
  if (running < limit) run(res); else queue.push(res);
}).listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1');
