// A stand-in for the processor binary, for testing the platform's process handling only:
// it honours the same arguments and environment, and FAKE_MODE (passed through spec.env)
// picks a failure: "crash" exits at once, "never-ready" keeps /ready at 503, "slow" answers
// /ready only after 5.5 s. FAKE_ADDRESSES, when set, is the body of its admin `GET /addresses`.
import { createServer } from 'node:http';

const mode = process.env.FAKE_MODE ?? 'ok';
const config = process.argv[process.argv.indexOf('--config') + 1];
console.log(JSON.stringify({ msg: 'fake processor starting', mode, config, pid: process.pid }));
if (mode === 'crash') {
  console.error('fatal: handler file main.js not found');
  process.exit(1);
}
const http = createServer((_req, res) => res.end(JSON.stringify({ pid: process.pid, greeting: process.env.GREETING })));
const readyAt = Date.now() + (mode === 'slow' ? 5_500 : 0);
const isReady = () => (mode === 'ok' || mode === 'slow') && Date.now() >= readyAt;
const admin = createServer((req, res) => {
  if (req.url === '/addresses' && process.env.FAKE_ADDRESSES) return res.writeHead(200, { 'content-type': 'application/json' }).end(process.env.FAKE_ADDRESSES);
  res.writeHead(req.url === '/ready' && isReady() ? 200 : 503).end();
});
http.listen(Number(process.env.NUCLEON_HTTP_PORT), process.env.NUCLEON_HTTP_HOST);
admin.listen(Number(process.env.NUCLEON_ADMIN_PORT), process.env.NUCLEON_ADMIN_HOST);
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ msg: 'draining', pid: process.pid }));
  http.close();
  admin.close();
  setTimeout(() => process.exit(0), 20);
});
