/** The time zones the browser knows (IANA names), with `current` kept even if it does not. */
export function timeZones(current?: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  const zones = all.includes('UTC') ? all : ['UTC', ...all];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}
