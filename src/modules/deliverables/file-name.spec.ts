import fc from 'fast-check';
import { sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it('keeps ordinary names, Kazakh and Russian included', () => {
    expect(sanitizeFileName('Дала әуендері — ep01 master.mov')).toBe('Дала әуендері — ep01 master.mov');
  });

  it('drops directories, also Windows ones', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\x\\cut.mp4')).toBe('cut.mp4');
  });

  it('replaces control and reserved characters and trims dots', () => {
    expect(sanitizeFileName('a\u0000b<c>:d"e|f?g*h.txt')).toBe('a_b_c__d_e_f_g_h.txt');
    expect(sanitizeFileName('...hidden')).toBe('hidden');
    expect(sanitizeFileName('..')).toBe('file');
  });

  it('shortens long names to 200 characters, keeping the extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(300)}.wav`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.wav')).toBe(true);
  });

  it('never returns a path, an empty name or a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const out = sanitizeFileName(s);
        expect(out.length).toBeGreaterThan(0);
        expect(out.length).toBeLessThanOrEqual(200);
        // eslint-disable-next-line no-control-regex -- checking that no control character is left
        expect(out).not.toMatch(/[\\/\u0000-\u001f]/);
        expect(out.startsWith('.')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
