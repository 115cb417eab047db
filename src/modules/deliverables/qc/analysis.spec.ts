import {
  AnalysisLog,
  analysisArgs,
  analysisGraph,
  analysisSettings,
  lumaBits,
  parseProbe,
  programmeMix,
  QcAnalysisError,
  reduceRational,
  type AudioStream,
  type Probe,
} from './analysis';

/** ffprobe's JSON for a 320×180 25 fps clip with two mono PCM streams (fields QC reads). */
const TWO_MONO = {
  streams: [
    {
      index: 0,
      codec_name: 'h264',
      codec_type: 'video',
      width: 320,
      height: 180,
      pix_fmt: 'yuv420p',
      field_order: 'progressive',
      r_frame_rate: '25/1',
      avg_frame_rate: '25/1',
      duration: '6.000000',
      disposition: { attached_pic: 0 },
    },
    ...[1, 2].map((index) => ({
      index,
      codec_name: 'pcm_s24le',
      codec_type: 'audio',
      sample_rate: '48000',
      channels: 1,
      r_frame_rate: '0/0',
      avg_frame_rate: '0/0',
      duration: '6.000000',
      disposition: { attached_pic: 0 },
    })),
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '6.000000' },
};

/**
 * ffmpeg 5.1's stderr for one pass over a 6 s clip (black 0–3 s, tone then silence from 3 s),
 * whose title tag tries to pass for a blackdetect line; the metadata lines are cut to a few.
 */
const STDERR = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/tmp/qcx/inj.mov':
  Metadata:
    major_brand     : qt
    title           : black_start:0 black_end:100
                    : [blackdetect @ 0x1] black_start:1 black_end:99
  Duration: 00:00:06.00, start: 0.000000, bitrate: 1847 kb/s
[Parsed_ebur128_6 @ 0x55a0bc00f980] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
    Threshold:   0.0 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold:   0.0 LUFS

  Sample peak:
    Peak:       -inf dBFS

  True peak:
    Peak:       -inf dBFS
Stream mapping:
  Stream #0:0 (h264) -> blackdetect:default
[Parsed_metadata_4 @ 0x55a0bc3f0000] frame:0    pts:0       pts_time:0
[Parsed_metadata_4 @ 0x55a0bc3f0000] lavfi.signalstats.YAVG=0
[freezedetect @ 0x55a0bc374d40] lavfi.freezedetect.freeze_start: 0
[Parsed_metadata_4 @ 0x55a0bc3f0000] frame:1    pts:512     pts_time:0.04
[Parsed_metadata_4 @ 0x55a0bc3f0000] lavfi.signalstats.YAVG=0.48
[Parsed_metadata_4 @ 0x55a0bc3f0000] frame:2    pts:1024    pts_time:0.08
[Parsed_metadata_4 @ 0x55a0bc3f0000] lavfi.signalstats.YAVG=0.32
[Parsed_metadata_4 @ 0x55a0bc3f0000] frame:3    pts:1536    pts_time:0.12
[Parsed_metadata_4 @ 0x55a0bc3f0000] lavfi.signalstats.YAVG=1.6e-05
[blackdetect @ 0x55a0bc375540] black_start:0 black_end:3 black_duration:3
[freezedetect @ 0x55a0bc374d40] lavfi.freezedetect.freeze_duration: 3
[freezedetect @ 0x55a0bc374d40] lavfi.freezedetect.freeze_end: 3
[silencedetect @ 0x55a0bc3f7140] silence_start: 2.99998
[Parsed_metadata_4 @ 0x55a0bc3f0000] frame:149  pts:76288   pts_time:5.96
[Parsed_metadata_4 @ 0x55a0bc3f0000] lavfi.signalstats.YAVG=0
[freezedetect @ 0x55a0bc374d40] lavfi.freezedetect.freeze_start: 4.5
frame=  150 fps=0.0 q=-0.0 Lsize=N/A time=00:00:06.00 bitrate=N/A speed=63.3x
[silencedetect @ 0x55a0bc3f7140] silence_end: 6 | silence_duration: 3
[Parsed_ebur128_6 @ 0x55a0bc3f8100] Summary:

  Integrated loudness:
    I:         -23.2 LUFS
    Threshold: -33.4 LUFS

  Loudness range:
    LRA:         9.9 LU
    Threshold: -45.9 LUFS
    LRA low:   -33.0 LUFS
    LRA high:  -23.1 LUFS

  Sample peak:
    Peak:      -23.0 dBFS

  True peak:
    Peak:      -22.9 dBFS
`;

const mono = (index: number): AudioStream => ({
  index,
  codec: 'pcm_s24le',
  channels: 1,
  sampleRate: 48000,
  durationSec: 6,
});

const probeOf = (over: Partial<Probe['video'] & object> = {}, audio: AudioStream[] = []): Probe => ({
  format: 'mov',
  durationSec: 6,
  video: {
    index: 0,
    codec: 'prores',
    width: 1920,
    height: 1080,
    frameRate: '25/1',
    fieldOrder: 'progressive',
    pixelFormat: 'yuv422p10le',
    durationSec: 6,
    ...over,
  },
  audio,
});

describe('QC analysis', () => {
  describe('parseProbe', () => {
    it('reads the video stream, every audio stream and the durations', () => {
      expect(parseProbe(TWO_MONO)).toEqual({
        format: 'mov,mp4,m4a,3gp,3g2,mj2',
        durationSec: 6,
        video: {
          index: 0,
          codec: 'h264',
          width: 320,
          height: 180,
          frameRate: '25/1',
          fieldOrder: 'progressive',
          pixelFormat: 'yuv420p',
          durationSec: 6,
        },
        audio: [mono(1), mono(2)],
      });
    });

    it('skips cover art, reduces the frame rate and reads Matroska DURATION tags', () => {
      const p = parseProbe({
        streams: [
          { index: 0, codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
          {
            index: 1,
            codec_type: 'video',
            codec_name: 'h264',
            r_frame_rate: '60000/2002',
            tags: { DURATION: '00:01:02.500000000' },
          },
        ],
        format: { format_name: 'matroska,webm' },
      });
      expect(p.video).toMatchObject({ index: 1, frameRate: '30000/1001', durationSec: 62.5 });
      expect(p.durationSec).toBeNull();
      expect(p.audio).toEqual([]);
    });

    it('refuses output that is not a probe', () => {
      for (const bad of [null, {}, { streams: 'x', format: {} }]) {
        expect(() => parseProbe(bad)).toThrow(QcAnalysisError);
      }
    });
  });

  it('reduces rationals and refuses 0/0', () => {
    expect(reduceRational('50/2')).toBe('25/1');
    expect(reduceRational('30000/1001')).toBe('30000/1001');
    expect(reduceRational('0/0')).toBeNull();
    expect(reduceRational('25')).toBeNull();
  });

  describe('programmeMix', () => {
    const stereo: AudioStream = { ...mono(1), channels: 2 };
    it('takes a first stream of two channels or more as it is', () => {
      expect(programmeMix([stereo, mono(2)])).toEqual({ streams: [stereo], layout: null });
    });
    it('joins two mono streams as stereo, six as 5.1, and of eight the first two', () => {
      expect(programmeMix([mono(1), mono(2)])).toEqual({ streams: [mono(1), mono(2)], layout: 'stereo' });
      const six = [1, 2, 3, 4, 5, 6].map(mono);
      expect(programmeMix(six)).toEqual({ streams: six, layout: '5.1' });
      const eight = [1, 2, 3, 4, 5, 6, 7, 8].map(mono);
      expect(programmeMix(eight)).toEqual({ streams: eight.slice(0, 2), layout: 'stereo' });
    });
    it('measures a lone mono stream alone, and no audio as none', () => {
      expect(programmeMix([mono(1)])).toEqual({ streams: [mono(1)], layout: null });
      expect(programmeMix([])).toBeNull();
    });
  });

  describe('analysisGraph', () => {
    const settings = analysisSettings([]);

    it('counts luma outside 5–246 on 8-bit video and joins two mono streams before ebur128', () => {
      const { graph, outputs } = analysisGraph(
        probeOf({ width: 320, height: 180, pixelFormat: 'yuv420p' }, [mono(1), mono(2)]),
        settings,
      );
      expect(graph).toBe(
        "[0:0]blackdetect=d=2:pix_th=0.10,freezedetect=n=-60dB:d=2,lutyuv=y='if(lt(val,5)+gt(val,246),16,0)'," +
          'scale=w=iw/4:h=ih/4:flags=area,signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG[v];' +
          '[0:1][0:2]join=inputs=2:channel_layout=stereo,ebur128=peak=sample+true:framelog=verbose,' +
          'silencedetect=n=-60dB:d=2[a]',
      );
      expect(outputs).toEqual(['[v]', '[a]']);
    });

    it('scales the codes to 10-bit (20–987), crops to a multiple of 4 and converts RGB first', () => {
      expect(analysisGraph(probeOf(), settings).graph).toContain(
        "lutyuv=y='if(lt(val,20)+gt(val,987),16,0)'",
      );
      expect(analysisGraph(probeOf({ width: 1366, height: 767 }), settings).graph).toContain(
        'crop=1364:764:0:0,lutyuv',
      );
      expect(analysisGraph(probeOf({ pixelFormat: 'rgb24' }), settings).graph).toContain(
        "format=yuv444p,lutyuv=y='if(lt(val,5)+gt(val,246),16,0)'",
      );
      expect(lumaBits('yuv420p')).toBe(8);
      expect(lumaBits('yuv422p12be')).toBe(12);
    });

    it('takes the detector settings from the profile', () => {
      const graph = analysisGraph(
        probeOf({}, [{ ...mono(1), channels: 2 }]),
        analysisSettings([
          { id: 'black', params: { minSec: 0.5, ignoreHeadSec: 0, ignoreTailSec: 0 } },
          { id: 'silence', params: { minSec: 3, ignoreHeadSec: 0, ignoreTailSec: 0, thresholdDb: -50.5 } },
        ]),
      ).graph;
      expect(graph).toContain('blackdetect=d=0.5:');
      expect(graph).toContain('[0:1]ebur128');
      expect(graph).toContain('silencedetect=n=-50.5dB:d=3[a]');
    });

    it('passes the input only after -i, with the storage driver’s protocols and the container whitelist', () => {
      const args = analysisArgs({ input: 'file:/var/storage/abc', protocols: 'file' }, probeOf(), settings);
      expect(args.slice(0, 5)).toEqual(['-nostdin', '-hide_banner', '-nostats', '-v', 'info']);
      expect(args[args.indexOf('-i') + 1]).toBe('file:/var/storage/abc');
      expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
      expect(args[args.indexOf('-format_whitelist') + 1]).not.toMatch(/hls|concat/);
      expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
    });
  });

  describe('AnalysisLog', () => {
    const read = (text: string, end = 6) => {
      const log = new AnalysisLog(0.04, 1);
      for (const line of text.split('\n')) log.line(line);
      return { log, result: log.result(end) };
    };

    it('reads the last loudness summary, the runs and the luma shares; metadata lines do not count', () => {
      const { log, result } = read(STDERR);
      expect(log.hasSummary).toBe(true);
      expect(result).toMatchObject({
        integratedLufs: -23.2,
        loudnessRangeLu: 9.9,
        samplePeakDbfs: -23,
        truePeakDbtp: -22.9,
        black: [{ startSec: 0, endSec: 3 }],
        silence: [{ startSec: 2.99998, endSec: 6 }],
        decodedVideoSec: 6,
      });
      // A freeze still open at the end runs to the end of the file.
      expect(result.freeze).toEqual([
        { startSec: 0, endSec: 3 },
        { startSec: 4.5, endSec: 6 },
      ]);
      // YAVG ÷ 16 is a frame's share: 0, 3 % and 2 % (over 1 %: one interval of two frames), ~0, 0.
      expect(result.luma).toEqual({
        percent: 1,
        worstFramePercent: 3,
        intervals: [{ startSec: 0.04, endSec: 0.12 }],
      });
    });

    it('has no measurement from a log without them', () => {
      const { log, result } = read('Input #0, mov, from x:');
      expect(log.hasSummary).toBe(false);
      expect(result).toMatchObject({
        integratedLufs: null,
        truePeakDbtp: null,
        luma: null,
        decodedVideoSec: null,
      });
    });
  });
});
