import { createHash } from 'node:crypto';

/** The hash before the first row. */
export const GENESIS = '0'.repeat(64);

/** One row of the chain as it is hashed. */
export interface ChainedEvent {
  id: string;
  at: Date;
  action: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  ip: string | null;
}

/** JSON with object keys sorted at every depth: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256(previous hash, newline, the row's canonical content), hex. */
export function chainHash(prevHash: string, e: ChainedEvent): string {
  const content = canonicalJson([
    e.id,
    e.at.toISOString(),
    e.action,
    e.actorId,
    e.targetType,
    e.targetId,
    e.details,
    e.ip,
  ]);
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}
