import { createDashboardServer, type DashboardOptions } from './server.js';

/** Starts the dashboard listening (default 127.0.0.1:8070); `close()` stops it. */
export async function startDashboard(o: DashboardOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createDashboardServer(o);
  const host = o.host ?? '127.0.0.1';
  await app.listen({ host, port: o.port ?? 8070 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => app.close() };
}
