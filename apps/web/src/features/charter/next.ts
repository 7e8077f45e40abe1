/** Where to go after accepting: a path of this app only (never another site). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/charter')
    ? next
    : '/';
}
