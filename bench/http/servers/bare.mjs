// Baseline: the smallest node:http server that answers "hello".
import http from 'node:http';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
  res.end('hello');
});
server.listen(port, host);
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
