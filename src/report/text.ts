/**
 * Cuts a text to at most `max` characters (UTF-16 code units), the last of them `…` when anything was cut. The one
 * text-shortening rule of every note, title and cell; never splits a surrogate pair (an emoji in a guest's output).
 */
export function ellipsize(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}
