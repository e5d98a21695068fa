// faas-js-runtime 4 (Knative functions' Node runtime) hello, started with its start() API.
// start() always listens on '::' (every interface); this file pins the listen address to
// 127.0.0.1 by wrapping net.Server#listen once, before the runtime loads. Nothing on the
// request path is touched.
const net = require('node:net');

const host = process.env.HOST ?? '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] && typeof args[0] === 'object' && 'host' in args[0]) args[0] = { ...args[0], host };
  return listen.apply(this, args);
};

const { start } = require('faas-js-runtime');

const port = Number(process.env.PORT);
// config points at this directory, which has no func.yaml, so the runtime's defaults apply
// (log level warn, 1 MB body limit). The runtime handles SIGTERM itself.
start(() => 'hello', { port, config: __dirname }).catch((err) => {
  console.error(err);
  process.exit(1);
});
