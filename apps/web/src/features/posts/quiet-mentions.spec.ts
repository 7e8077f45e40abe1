import { mentionedHandles } from './mentions';

describe('mentionedHandles', () => {
  it.each([
    ['Hello @camille.martin, see this', ['camille.martin']],
    ['@ana and @bob! @ana again ', ['ana', 'bob']],
    ['still typing @cam', []],
    ['an address a@b.c is no mention ', []],
    ['end of sentence @zoe. Next', ['zoe']],
  ])('%s', (body, handles) => {
    expect(mentionedHandles(body)).toEqual(handles);
  });
});
