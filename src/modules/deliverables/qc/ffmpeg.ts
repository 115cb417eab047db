import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

// Running ffmpeg and ffprobe (Debian's packages, installed by .ci/run): an argument array and no
// shell, a minimal environment (no secrets of ours), the worker's own user with no new
// privileges, a process group of its own that a timeout kills, and killed with the worker too.

/** util-linux setpriv (Essential in Debian): PR_SET_NO_NEW_PRIVS and a parent-death signal. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** Longest stderr line kept whole; ffmpeg's lines are far shorter (a hostile file's metadata may not be). */
const MAX_LINE = 16 * 1024;
/** stderr lines kept for an error message. */
const TAIL_LINES = 12;

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout, when it was collected (`maxStdoutBytes`). */
  stdout: string;
  /** The last stderr lines. */
  stderrTail: string[];
}

export interface ToolOptions {
  timeoutMs: number;
  /** Called with each stderr line as it arrives. */
  onLine?: (line: string) => void;
  /** Collect stdout up to this many bytes (more is an error: the process is killed). */
  maxStdoutBytes?: number;
}

/** Spawn failed (the binary is missing) or stdout outgrew its bound. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly reason: 'missing' | 'output_too_large',
  ) {
    super(message);
  }
}

export function runTool(bin: 'ffmpeg' | 'ffprobe', args: string[], opts: ToolOptions): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    // With setpriv the process is ffmpeg itself after exec: --pdeathsig KILL ends it when the
    // worker dies (SIGKILL included), so a retried job never races an orphaned analysis.
    const [cmd, argv] = SETPRIV
      ? [SETPRIV, ['--no-new-privs', '--pdeathsig', 'KILL', '--', bin, ...args]]
      : [bin, args];
    const child = spawn(cmd, argv, {
      detached: true,
      stdio: ['ignore', opts.maxStdoutBytes ? 'pipe' : 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    });
    let timedOut = false;
    let failure: ToolError | null = null;
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);

    const out: Buffer[] = [];
    let outBytes = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > opts.maxStdoutBytes!) {
        failure ??= new ToolError(`${bin} wrote more than ${opts.maxStdoutBytes} bytes`, 'output_too_large');
        killGroup();
      } else {
        out.push(chunk);
      }
    });

    const tail: string[] = [];
    let partial = '';
    const emit = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      opts.onLine?.(line);
    };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r\n|\r|\n/);
      partial = parts.pop()!.slice(0, MAX_LINE);
      for (const line of parts) emit(line.slice(0, MAX_LINE));
    });

    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new ToolError(`${bin} is not installed`, 'missing') : err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (partial) emit(partial);
      if (failure) return reject(failure);
      resolve({
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderrTail: tail,
      });
    });
  });
}

let version: Promise<string> | null = null;

/** `ffmpeg -version`'s version ("5.1.6-0+deb12u1"), once per process. */
export function ffmpegVersion(): Promise<string> {
  version ??= runTool('ffmpeg', ['-hide_banner', '-version'], { timeoutMs: 30_000, maxStdoutBytes: 1 << 16 })
    .then((r) => /ffmpeg version (\S+)/.exec(r.stdout)?.[1] ?? 'unknown')
    .catch((err: unknown) => {
      version = null;
      throw err;
    });
  return version;
}
