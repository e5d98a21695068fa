import { request } from 'node:http';

/**
 * `GET /ready` on 127.0.0.1:`port` answered 200 within `timeoutMs`. The supervisor's own probe:
 * node:http rather than core's fetch-based `probeReady`, so a supervisor loads neither
 * @nucleon/core nor fetch's HTTP client and stays about 20 MB smaller per function.
 */
export function readyAnswers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/ready', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}
