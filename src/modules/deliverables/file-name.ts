/**
 * A file name safe to show and to put in Content-Disposition: no directories, no control or
 * reserved characters, no bidirectional controls, no leading dots, at most 200 characters (the
 * extension kept). Stored objects are named by id, so this is about display and downloads,
 * never about paths.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let name = base
    // Bidi controls are dropped, not replaced: `invoice\u202Efdp.exe` must read invoicefdp.exe.
    .replace(/\p{Bidi_Control}/gu, '')
    // Every C0 and C1 control and DEL (\p{Cc}), lone surrogates and the characters Windows reserves.
    .replace(/[\p{Cc}\p{Cs}<>:"|?*]/gu, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 20 ? name.slice(dot) : '';
    // The cut may split a surrogate pair; drop the half it leaves (encodeURIComponent throws on it).
    name = name.slice(0, 200 - ext.length).replace(/\p{Cs}/gu, '') + ext;
  }
  return name || 'file';
}
