// @google-cloud/functions-framework 5 hello through its Node API: the same Express app the
// CLI builds (getServer with the CLI's default options: no timeout, no execution id), but
// listening on 127.0.0.1 instead of every interface.
const functions = require('@google-cloud/functions-framework');
const { getTestServer } = require('@google-cloud/functions-framework/testing');

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';

functions.http('hello', (req, res) => {
  res.send('hello');
});
const server = getTestServer('hello');
server.listen(port, host).setTimeout(0); // as the CLI does
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
