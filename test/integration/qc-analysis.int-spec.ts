import { randomBytes } from 'node:crypto';
import { defaultQcItems } from '../../src/modules/briefs/qc-profile/qc-items';
import {
  analyse,
  analysisSettings,
  probe,
  QcAnalysisError,
  type Measurements,
} from '../../src/modules/deliverables/qc/analysis';
import { evaluate } from '../../src/modules/deliverables/qc/checks';
import { Clips, pictures, tone } from '../utils/clips';

// The analysis against Debian's real ffmpeg, without the app: what the pipeline test
// (test/e2e/qc.e2e-spec.ts) does not reach — the luma count exact at 8 and 10 bits, a 5.1
// programme from six mono tracks, Matroska, the timeout, and files that try to make ffmpeg
// read something else.

const SETTINGS = analysisSettings(defaultQcItems({ deliverySpec: null, episodeMinutes: null }));
const MINUTE = 60_000;

describe('QC analysis with ffmpeg', () => {
  const clips = new Clips();
  afterAll(() => clips.remove());

  const source = (name: string) => ({ input: `file:${clips.path(name)}`, protocols: 'file' });

  const measure = async (name: string, timeoutMs = MINUTE): Promise<Measurements> => {
    const p = await probe(source(name));
    return analyse(source(name), p, SETTINGS, timeoutMs);
  };

  const failure = async (name: string, timeoutMs = MINUTE): Promise<string> => {
    try {
      await measure(name, timeoutMs);
    } catch (err) {
      if (err instanceof QcAnalysisError) return err.code;
      throw err;
    }
    throw new Error(`${name} was measured`);
  };

  it('counts luma codes outside 5–246 exactly: 16 of 320 columns at code 0 is 5 % of every frame', async () => {
    await clips.make('luma8', {
      video: "nullsrc=s=320x180:r=25:d=3,format=yuv420p,geq=lum='if(lt(X,16),0,128)':cb=128:cr=128",
      audio: [tone(-23, 3)],
      output: ['-qp', '0'],
    });
    const m = await measure('luma8.mov');
    expect(m.luma).toEqual({ percent: 5, worstFramePercent: 5, intervals: [{ startSec: 0, endSec: 3 }] });
    const item = evaluate(
      defaultQcItems({ deliverySpec: null, episodeMinutes: null }),
      m,
      'rough_cut',
    ).items.find((i) => i.id === 'luma_range')!;
    expect(item).toMatchObject({ severity: 'warning', result: 'fail' });
  });

  it('scales the codes to 10 bits (4·5 = 20 is in range, 16 is not), in Matroska', async () => {
    await clips.make('luma10', {
      video:
        "nullsrc=s=320x180:r=25:d=3,format=yuv422p10le,geq=lum='if(lt(X,16),16,if(lt(X,32),24,512))':cb=512:cr=512",
      audio: [],
      output: ['-c:v', 'ffv1', '-pix_fmt', 'yuv422p10le'],
      ext: 'mkv',
    });
    const m = await measure('luma10.mkv');
    expect(m.probe).toMatchObject({
      format: 'matroska,webm',
      video: { pixelFormat: 'yuv422p10le', durationSec: 3 },
    });
    expect(m.luma?.percent).toBe(5);
    expect(m.programme).toBeNull();
  });

  it('joins six mono tracks into the 5.1 programme (L R C LFE Ls Rs; LFE not counted, surrounds +1.5 dB)', async () => {
    await clips.make('six', {
      video: pictures(4),
      audio: Array.from({ length: 6 }, () => tone(-23, 4, 'mono')),
    });
    const m = await measure('six.mov');
    expect(m.programme).toEqual({ streams: [1, 2, 3, 4, 5, 6], channels: 6 });
    // −23 − 3.01 (one channel) + 10·log10(3 + 2·1.41) = −18.36.
    expect(m.integratedLufs).toBeGreaterThanOrEqual(-18.5);
    expect(m.integratedLufs).toBeLessThanOrEqual(-18.3);
  });

  it('stops an analysis that outlives its timeout (TIMEOUT)', async () => {
    await clips.make('plain', { video: pictures(6), audio: [tone(-23, 6)] });
    expect(await failure('plain.mov', 1)).toBe('TIMEOUT');
  });

  it('ends files it cannot measure as errors with a code', async () => {
    const whole = await clips.make('whole', { video: pictures(6), audio: [tone(-23, 6)] });
    // The QuickTime index (moov) is written last: cut off, ffprobe finds no index.
    clips.write('cut.mov', whole.subarray(0, whole.length >> 1));
    expect(await failure('cut.mov')).toBe('TRUNCATED');
    clips.write('random.bin', randomBytes(64 * 1024));
    expect(['PROBE_FAILED', 'UNSUPPORTED_FORMAT']).toContain(await failure('random.bin'));
    // An empty file ends before its first byte.
    clips.write('empty.mov', Buffer.alloc(0));
    expect(await failure('empty.mov')).toBe('TRUNCATED');
  });

  it('does not open what an upload names: playlists and concat lists are not read', async () => {
    clips.write(
      'list.m3u8',
      Buffer.from(
        `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n${clips.path('plain.mov')}\n#EXT-X-ENDLIST\n`,
      ),
    );
    expect(await failure('list.m3u8')).toBe('UNSUPPORTED_FORMAT');
    clips.write('list.ffconcat', Buffer.from(`ffconcat version 1.0\nfile ${clips.path('plain.mov')}\n`));
    expect(await failure('list.ffconcat')).toBe('UNSUPPORTED_FORMAT');
  });
});
