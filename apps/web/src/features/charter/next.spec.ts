import { safeNext } from './next';

describe('safeNext', () => {
  it('keeps a path of the app and refuses anything else', () => {
    expect(safeNext('/groups/x?tab=feed')).toBe('/groups/x?tab=feed');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.test/')).toBe('/');
    expect(safeNext('//evil.test/')).toBe('/');
    expect(safeNext('/charter?next=/')).toBe('/');
  });
});
