// Runs wrk against 127.0.0.1 only, bounded in time, and parses its output.
import { execFile } from 'node:child_process';
import { parseWrk } from '../parse-wrk.mjs';

export function wrkVersion() {
  return new Promise((resolve) => {
    execFile('wrk', ['-v'], { timeout: 5000 }, (err, stdout, stderr) => {
      resolve(/wrk\s+(\S+)/.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown');
    });
  });
}

/** wrk -t<threads> -c<connections> -d<seconds>s --latency http://127.0.0.1:<port>/ */
export function runWrk(port, { threads = 1, connections = 50, seconds, latency = true }) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, ...(latency ? ['--latency'] : []), `http://127.0.0.1:${port}/`];
  return new Promise((resolve, reject) => {
    // wrk stops by itself after -d; the timeout is a backstop (SIGKILL) if it ever hangs
    execFile('wrk', args, { timeout: (seconds + 15) * 1000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`wrk ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
      try {
        resolve({ args, output: stdout, ...parseWrk(stdout) });
      } catch (e) {
        reject(e);
      }
    });
  });
}
