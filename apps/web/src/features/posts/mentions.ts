// Who a post's text mentions (pure, shared by the composer's notices and its spec).
/** Handles mentioned so far: those already followed by a space or punctuation (typing is done). */
export function mentionedHandles(body: string): string[] {
  const found = body.matchAll(
    /(?:^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}_.-]{2,30}?)(?=[\s,;:!?)]|\.(?:\s|$))/gu,
  );
  return [...new Set([...found].map((m) => m[1].toLowerCase()))].slice(0, 10);
}
