import { DomainError } from '../../../shared/errors/domain-error';
import { defaultQcItems, frameRateRational, QC_ITEM_IDS, resolveQcItems } from './qc-items';

const targets = {
  deliverySpec: { resolution: '1920x1080', frameRate: 29.97, loudnessLufs: -24 },
  episodeMinutes: 44,
};

/** The field errors of a refused profile. */
const refusal = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.def.code, errors: err.extra.errors };
    throw err;
  }
  throw new Error('not refused');
};

describe('QC profile items', () => {
  it('writes a brief frame rate as the exact rational a file declares', () => {
    expect(frameRateRational(25)).toBe('25/1');
    expect(frameRateRational(29.97)).toBe('30000/1001');
    expect(frameRateRational(23.976)).toBe('24000/1001');
    expect(frameRateRational(59.94)).toBe('60000/1001');
    expect(frameRateRational(50)).toBe('50/1');
    expect(frameRateRational(12.5)).toBe('25/2');
  });

  it('derives every default check from the delivery spec and episode length', () => {
    const items = defaultQcItems(targets);
    expect(items.map((i) => i.id)).toEqual(QC_ITEM_IDS);
    expect(Object.fromEntries(items.map((i) => [i.id, [i.severity, i.params]]))).toEqual({
      resolution: ['mandatory', { width: 1920, height: 1080 }],
      frame_rate: ['mandatory', { frameRate: '30000/1001' }],
      scan_type: ['mandatory', { allowed: ['progressive'] }],
      video_codec: ['mandatory', { allowed: ['prores', 'dnxhd', 'h264', 'hevc', 'jpeg2000', 'mpeg2video'] }],
      audio: ['mandatory', { minChannels: 2, sampleRate: 48000 }],
      loudness: ['mandatory', { targetLufs: -24, toleranceLu: 1 }],
      true_peak: ['mandatory', { maxDbtp: -1 }],
      loudness_range: ['warning', { maxLu: null }],
      black: ['warning', { minSec: 2, ignoreHeadSec: 5, ignoreTailSec: 5 }],
      silence: ['warning', { minSec: 2, ignoreHeadSec: 5, ignoreTailSec: 5, thresholdDb: -60 }],
      freeze: ['warning', { minSec: 2, ignoreHeadSec: 5, ignoreTailSec: 5 }],
      av_duration: ['mandatory', { maxAudioShortFrames: 2, maxAudioLongSec: 2 }],
      duration: ['mandatory', { expectedSec: 2640, toleranceSec: 1, kinds: ['programme_master'] }],
      luma_range: ['warning', { minCode: 5, maxCode: 246, maxPercent: 1 }],
    });
  });

  it('leaves out the checks a brief gives no target for, and takes −23 LUFS by default', () => {
    const items = defaultQcItems({ deliverySpec: null, episodeMinutes: null });
    expect(items.map((i) => i.id)).not.toContain('resolution');
    expect(items.map((i) => i.id)).not.toContain('frame_rate');
    expect(items.map((i) => i.id)).not.toContain('duration');
    expect(items.find((i) => i.id === 'loudness')!.params).toEqual({ targetLufs: -23, toleranceLu: 1 });
  });

  it('lays the parameters given over the brief’s defaults', () => {
    expect(
      resolveQcItems(
        [
          { id: 'loudness', severity: 'warning', params: { toleranceLu: 2 } },
          { id: 'resolution', severity: 'mandatory' },
          { id: 'duration', severity: 'mandatory', params: { kinds: ['programme_master', 'rough_cut'] } },
        ],
        targets,
      ),
    ).toEqual([
      { id: 'loudness', severity: 'warning', params: { targetLufs: -24, toleranceLu: 2 } },
      { id: 'resolution', severity: 'mandatory', params: { width: 1920, height: 1080 } },
      {
        id: 'duration',
        severity: 'mandatory',
        params: { expectedSec: 2640, toleranceSec: 1, kinds: ['programme_master', 'rough_cut'] },
      },
    ]);
  });

  it('refuses unknown parameters, invalid values and checks the brief cannot complete, per item', () => {
    expect(
      refusal(() =>
        resolveQcItems(
          [
            { id: 'true_peak', severity: 'mandatory', params: { maxDbtp: -1, colour: 'red' } },
            { id: 'frame_rate', severity: 'mandatory', params: { frameRate: '29.97' } },
          ],
          targets,
        ),
      ),
    ).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'items.0.params.colour', message: 'property colour should not exist' },
        {
          field: 'items.1.params.frameRate',
          message: 'frameRate must be a rational such as 25/1 or 30000/1001',
        },
      ],
    });
    const noSpec = { deliverySpec: null, episodeMinutes: null };
    const incomplete = refusal(() =>
      resolveQcItems([{ id: 'resolution', severity: 'mandatory' }], noSpec),
    ) as {
      errors: { field: string }[];
    };
    expect(incomplete.errors.map((e) => e.field)).toContain('items.0.params.width');
  });
});
