/** A quiet-hours window: local HH:MM times, the ISO weekdays on which it starts, and its zone. */
export interface QuietWindow {
  start: string;
  end: string;
  days: number[];
  /** The zone the times are read in; the recipient's zone when absent. */
  timezone?: string | null;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of `ms` in `timeZone`, as if it were UTC (milliseconds dropped). */
function wallClock(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    +parts.year,
    +parts.month - 1,
    +parts.day,
    +parts.hour,
    +parts.minute,
    +parts.second,
  );
}

const offsetAt = (ms: number, timeZone: string) =>
  wallClock(Math.floor(ms / 1000) * 1000, timeZone) - Math.floor(ms / 1000) * 1000;

/**
 * The instant of a wall-clock time in a zone. A time skipped by a DST change (02:30 on the spring
 * night in Paris) maps to the same distance after the gap (03:30); a repeated one to the later one.
 */
export function zonedInstant(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  const second = offsetAt(first, timeZone);
  return second === offsetAt(wall, timeZone) ? first : wall - second;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** ISO weekday (1 = Monday) of a wall-clock day given as UTC midnight. */
const isoDay = (dayStart: number) => new Date(dayStart).getUTCDay() || 7;

/** The end of the occurrence of `w` that contains `t`, or null when `t` is outside it. */
function endIfInside(t: number, w: QuietWindow, fallbackZone: string): number | null {
  const zone = w.timezone || fallbackZone;
  const today = Math.floor(wallClock(t, zone) / DAY) * DAY;
  const start = minutes(w.start);
  const end = minutes(w.end);
  // An occurrence starting yesterday may run past midnight into today.
  for (const day of [today - DAY, today]) {
    if (!w.days.includes(isoDay(day))) continue;
    const from = zonedInstant(day + start * MINUTE, zone);
    const to = zonedInstant(day + (end <= start ? DAY : 0) + end * MINUTE, zone);
    if (from <= t && t < to) return to;
  }
  return null;
}

/**
 * The windows that hold a person's emails and pushes: their own, and the network's read in the
 * person's zone (the right to disconnect is local).
 */
export function quietWindowsOf(
  own: QuietWindow | null | undefined,
  network: QuietWindow | null | undefined,
): QuietWindow[] {
  return [...(own ? [own] : []), ...(network ? [{ ...network, timezone: null }] : [])];
}

/**
 * When deliveries to a person resume, given their windows (quietWindowsOf): null when they are
 * not in quiet hours at `now`. What delivery planning defers to, for the people who see it.
 */
export function quietUntil(
  now: Date,
  windows: readonly QuietWindow[],
  timeZone: string,
): Date | null {
  const end = nextAllowedTime(now, windows, timeZone);
  return end > now ? end : null;
}

/**
 * When may an email or push leave, given quiet-hours windows? `now` when outside every window;
 * otherwise the end of the window containing it — and, when that end falls inside another window
 * (the user's evening and the network's night), the end of that one, and so on.
 */
export function nextAllowedTime(
  now: Date,
  windows: readonly QuietWindow[],
  timeZone: string,
): Date {
  let t = now.getTime();
  for (let hops = 0; hops < 16; hops++) {
    const ends = windows
      .map((w) => endIfInside(t, w, timeZone))
      .filter((e): e is number => e !== null);
    if (!ends.length) return new Date(t);
    t = Math.max(...ends);
  }
  return new Date(t);
}

/**
 * The next digest time after `now`: the next full hour (HOURLY), the next 08:00 local (DAILY), the
 * next Monday 08:00 local (WEEKLY).
 */
export function nextDigestTime(
  now: Date,
  frequency: 'HOURLY' | 'DAILY' | 'WEEKLY',
  timeZone: string,
): Date {
  const t = now.getTime();
  if (frequency === 'HOURLY')
    return new Date(Math.floor(t / (60 * MINUTE)) * 60 * MINUTE + 60 * MINUTE);
  const today = Math.floor(wallClock(t, timeZone) / DAY) * DAY;
  for (let d = 0; d <= 8; d++) {
    const day = today + d * DAY;
    if (frequency === 'WEEKLY' && isoDay(day) !== 1) continue;
    const at = zonedInstant(day + 8 * 60 * MINUTE, timeZone);
    if (at > t) return new Date(at);
  }
  return new Date(t + DAY);
}
