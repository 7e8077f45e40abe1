import {
  beyond,
  DEFAULT_MATRIX,
  permissionsOf,
  SLUG_PATTERN,
  slugify,
  touched,
} from './groups.rules.js';

describe('group rules', () => {
  it.each([
    ['Équipe R&D', 'equipe-r-d'],
    ['  Sales   EMEA ', 'sales-emea'],
    ['IT', 'group-it'],
    ['!!!', 'group-x'],
    ['a'.repeat(60), 'a'.repeat(40)],
  ])('slugify(%p) = %p, a valid slug', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(SLUG_PATTERN.test(slugify(name))).toBe(true);
  });

  it('gives OWNER everything whatever the matrix says', () => {
    expect(permissionsOf('OWNER', {})).toHaveLength(10);
    expect(permissionsOf('MEMBER', { MEMBER: [] })).toEqual([]);
    expect(permissionsOf('MODERATOR', DEFAULT_MATRIX)).toContain('MODERATE');
  });

  it.each([
    [['POST', 'INVITE'], ['POST'], []],
    [['POST'], ['POST', 'MANAGE_ROLES'], ['MANAGE_ROLES']],
  ] as const)('beyond(%p, %p) = %p', (held, wanted, out) =>
    expect(beyond(held, wanted)).toEqual(out),
  );

  it('touched = what is added or removed', () => {
    expect(touched(['POST', 'PIN'], ['POST', 'MODERATE'])).toEqual(['MODERATE', 'PIN']);
  });
});
