import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('gives working defaults on a developer machine', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/ruche');
    expect(config.REDIS_PREFIX).toBe('ruche');
  });

  it('reads numbers from strings', () => {
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('names every bad variable on its own line, hiding secrets', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://secret@x/y', REDIS_URL: 'nope' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.find((p) => p.startsWith('PORT='))).toContain('must be an integer');
      expect(problems.find((p) => p.startsWith('DATABASE_URL='))).toContain('(hidden)');
      expect(problems.join('\n')).not.toContain('secret@');
    }
  });
});
