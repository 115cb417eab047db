import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Test clips made with ffmpeg's lavfi sources (Debian's ffmpeg, as in production): 320×180,
// 25 fps H.264 and PCM audio in QuickTime, a few seconds each.

const run = promisify(execFile);

export const SIZE = '320x180';

/** A linear amplitude for a level in dBFS. */
export const amplitude = (dbfs: number): string => (10 ** (dbfs / 20)).toFixed(7);

/** A 1 kHz sine at `dbfs`, `seconds` long; `gate` (an expression of t) switches it on and off. */
export const tone = (dbfs: number, seconds: number, channels = 'stereo', gate = '1'): string =>
  `aevalsrc='${amplitude(dbfs)}*sin(2*PI*1000*t)*(${gate})':s=48000:c=${channels}:d=${seconds}`;

export const pictures = (seconds: number, rate = '25'): string => `testsrc2=s=${SIZE}:r=${rate}:d=${seconds}`;

export interface ClipSpec {
  /** A lavfi video graph. */
  video: string;
  /** One lavfi audio graph per audio stream. */
  audio: string[];
  /** Extra output options (codecs, container flags). */
  output?: string[];
  ext?: string;
}

/** A directory of clips for one test file; `remove()` deletes it. */
export class Clips {
  readonly dir = mkdtempSync(join(tmpdir(), 'efir-clips-'));

  async make(name: string, spec: ClipSpec): Promise<Buffer> {
    const path = join(this.dir, `${name}.${spec.ext ?? 'mov'}`);
    const inputs = [spec.video, ...spec.audio].flatMap((graph) => ['-f', 'lavfi', '-i', graph]);
    const maps = [spec.video, ...spec.audio].flatMap((_, i) => ['-map', String(i)]);
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      ...inputs,
      ...maps,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'pcm_s24le',
      ...(spec.output ?? []),
      path,
    ]);
    return readFileSync(path);
  }

  /** Writes bytes as a file of the directory (for the analysis of a truncated or random file). */
  write(name: string, data: Buffer): string {
    const path = join(this.dir, name);
    writeFileSync(path, data);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
