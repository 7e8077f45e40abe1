import { deriveSearchColumns } from './users.mapper.js';
import type { UserEntity } from './entities/user.entity.js';

describe('directory search columns', () => {
  it('folds accents and case, and splits on punctuation', () => {
    const u = {
      displayName: 'Élodie Dupont-Lefèvre',
      handle: 'e.dupont',
      jobTitle: 'Chargée RH',
      department: null,
      skills: ['Node.js', 'Paie'],
    } as unknown as UserEntity;
    deriveSearchColumns(u);
    expect(u.sortName).toBe('elodie dupont-lefevre');
    expect(u.searchText.split(' ')).toEqual([
      'elodie',
      'dupont',
      'lefevre',
      'e',
      'chargee',
      'rh',
      'node',
      'js',
      'paie',
    ]);
    expect(u.searchVector).toBe(
      "'elodie' 'dupont' 'lefevre' 'e' 'chargee' 'rh' 'node' 'js' 'paie'",
    );
  });
});
