/**
 * @module text-decode
 * Bytes to text for documents: UTF-8 (a byte-order mark dropped), UTF-16 when its BOM says so.
 * Invalid sequences become U+FFFD rather than an exception.
 */

export function decodeText(content: string | Uint8Array): string {
  if (typeof content === 'string') return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(content.subarray(2));
  if (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff)
    return new TextDecoder('utf-16be').decode(content.subarray(2));
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(content);
}
