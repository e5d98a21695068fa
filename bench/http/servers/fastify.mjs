// fastify 5 hello, default options (no logger), as its docs show.
import Fastify from 'fastify';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';

const app = Fastify();
app.get('/', async () => 'hello');
await app.listen({ port, host });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
