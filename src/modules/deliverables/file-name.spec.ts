import fc from 'fast-check';
import { sanitizeFileName } from './file-name';

// Any code point, mixed with the characters the sanitiser exists for (lone surrogates too).
const unit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(
    ...['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u202e', '\u2066', '\u200f'],
    ...['\u061c', '\ud800', '\udc00', '.', ' ', '/', '\\', '🎬'],
  ),
);

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

  it('replaces every control character, C1 controls and DEL included', () => {
    expect(sanitizeFileName('bell\u0007esc\u001b[31mdel\u007fnel\u0085csi\u009b.mov')).toBe(
      'bell_esc_[31mdel_nel_csi_.mov',
    );
    expect(sanitizeFileName('two\nlines\tand\rtabs.txt')).toBe('two_lines_and_tabs.txt');
  });

  it('drops bidirectional controls, so a name shows its real extension', () => {
    const name = sanitizeFileName('invoice\u202Efdp.exe');
    expect(name).toBe('invoicefdp.exe');
    expect(name).not.toContain('\u202E');
    expect(name.endsWith('.exe')).toBe(true);
    for (const control of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(sanitizeFileName(`report${control}gpj.exe`)).toBe('reportgpj.exe');
    }
    expect(sanitizeFileName('\u200Fcut\u200E.mp4\u061C')).toBe('cut.mp4');
  });

  it('replaces lone surrogates, also one left by shortening a long name', () => {
    expect(sanitizeFileName('a\ud800b\udfffc.wav')).toBe('a_b_c.wav');
    const cut = sanitizeFileName(`${'x'.repeat(195)}🎬🎬🎬.wav`);
    expect(cut).not.toMatch(/\p{Cs}/u);
    expect(cut.endsWith('.wav')).toBe(true);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });

  it('keeps emoji and Kazakh letters whole', () => {
    expect(sanitizeFileName('Қазақ 🎬 трейлер.mp4')).toBe('Қазақ 🎬 трейлер.mp4');
  });

  it('shortens long names to 200 characters, keeping the extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(300)}.wav`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.wav')).toBe(true);
  });

  it('never returns a path, an empty name, a control or bidi character or a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 400 }), (s) => {
        const out = sanitizeFileName(s);
        expect(out.length).toBeGreaterThan(0);
        expect(out.length).toBeLessThanOrEqual(200);
        expect(out).not.toMatch(/[\\/\p{Cc}\p{Cs}\p{Bidi_Control}]/u);
        expect(() => encodeURIComponent(out)).not.toThrow();
        expect(out.startsWith('.')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
