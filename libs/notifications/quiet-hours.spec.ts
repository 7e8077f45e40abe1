import { nextAllowedTime, nextDigestTime, type QuietWindow } from './quiet-hours.js';

const ALL = [1, 2, 3, 4, 5, 6, 7];
const night: QuietWindow = { start: '22:00', end: '07:00', days: ALL };
const weeknights: QuietWindow = { start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5] };
const morning: QuietWindow = { start: '07:00', end: '09:00', days: ALL };
const lunch: QuietWindow = {
  start: '12:00',
  end: '14:00',
  days: ALL,
  timezone: 'America/New_York',
};

describe('nextAllowedTime', () => {
  it.each([
    ['outside the window', '2026-01-14T12:00:00Z', [night], '2026-01-14T12:00:00Z'],
    ['no window at all', '2026-01-14T23:00:00Z', [], '2026-01-14T23:00:00Z'],
    ['evening: to the next morning (CET)', '2026-01-14T22:30:00Z', [night], '2026-01-15T06:00:00Z'],
    [
      'after midnight: the window started the day before',
      '2026-01-15T05:00:00Z',
      [night],
      '2026-01-15T06:00:00Z',
    ],
    ['exactly at the start', '2026-01-14T21:00:00Z', [night], '2026-01-15T06:00:00Z'],
    ['exactly at the end: allowed', '2026-01-15T06:00:00Z', [night], '2026-01-15T06:00:00Z'],
    [
      'a window not starting on Saturday',
      '2026-01-17T22:00:00Z',
      [weeknights],
      '2026-01-17T22:00:00Z',
    ],
    [
      'Saturday morning: the Friday window runs on',
      '2026-01-17T05:00:00Z',
      [weeknights],
      '2026-01-17T06:00:00Z',
    ],
    [
      'Monday morning: Sunday started no window',
      '2026-01-19T05:00:00Z',
      [weeknights],
      '2026-01-19T05:00:00Z',
    ],
    [
      'spring DST night in Paris: ends 07:00 CEST',
      '2026-03-28T22:00:00Z',
      [night],
      '2026-03-29T05:00:00Z',
    ],
    [
      'autumn DST night in Paris: ends 07:00 CET',
      '2026-10-24T21:00:00Z',
      [night],
      '2026-10-25T06:00:00Z',
    ],
    [
      'the day after spring DST (CEST all night)',
      '2026-03-29T21:00:00Z',
      [night],
      '2026-03-30T05:00:00Z',
    ],
    [
      'chained windows: night then morning',
      '2026-01-14T22:30:00Z',
      [night, morning],
      '2026-01-15T08:00:00Z',
    ],
    [
      'chained, listed the other way',
      '2026-01-14T22:30:00Z',
      [morning, night],
      '2026-01-15T08:00:00Z',
    ],
    [
      'a window in its own zone (New York lunch, EST)',
      '2026-01-14T17:30:00Z',
      [lunch],
      '2026-01-14T19:00:00Z',
    ],
    ['outside the New York lunch', '2026-01-14T12:30:00Z', [lunch], '2026-01-14T12:30:00Z'],
  ] as const)('%s', (_label, now, windows, expected) => {
    expect(nextAllowedTime(new Date(now), windows, 'Europe/Paris').toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });

  it('a window across the spring gap ending inside it ends just after the gap', () => {
    // 02:30 does not exist on 2026-03-29 in Paris: the window ends at 03:30 CEST (01:30Z).
    const w: QuietWindow = { start: '01:00', end: '02:30', days: ALL };
    expect(
      nextAllowedTime(new Date('2026-03-29T00:15:00Z'), [w], 'Europe/Paris').toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('nextDigestTime', () => {
  it.each([
    ['HOURLY', '2026-01-14T10:20:00Z', '2026-01-14T11:00:00Z'],
    ['DAILY', '2026-01-14T10:20:00Z', '2026-01-15T07:00:00Z'],
    ['DAILY', '2026-01-14T06:20:00Z', '2026-01-14T07:00:00Z'],
    ['WEEKLY', '2026-01-14T10:20:00Z', '2026-01-19T07:00:00Z'],
    ['DAILY', '2026-03-28T10:00:00Z', '2026-03-29T06:00:00Z'],
  ] as const)('%s from %s', (frequency, now, expected) => {
    expect(nextDigestTime(new Date(now), frequency, 'Europe/Paris').toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });
});
