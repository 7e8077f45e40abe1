import { Injectable } from '@nestjs/common';
import { Client, InvalidCredentialsError, type Entry } from 'ldapts';
import { AppConfig } from '@ruche/config';
import type { ExternalProfile, OriginToCheck } from '@ruche/identity';
import { RucheLogger } from '@ruche/observability';
import { ldapFilter } from './ldap-filter.js';

/** Active Directory's userAccountControl ACCOUNTDISABLE bit. */
const AD_DISABLED = 2;

const first = (v: Entry[string] | undefined): string | null => {
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined) return null;
  return Buffer.isBuffer(one) ? one.toString('hex') : String(one);
};

/**
 * LDAP / Active Directory sign-in: the service account finds the person's entry with the
 * configured filter (the typed address escaped), then a bind as that entry checks the password.
 */
@Injectable()
export class LdapService {
  constructor(
    private readonly config: AppConfig,
    private readonly logger: RucheLogger,
  ) {}

  get enabled(): boolean {
    return !!this.config.LDAP_URL && !!this.config.LDAP_SEARCH_BASE;
  }

  private client(): Client {
    return new Client({ url: this.config.LDAP_URL!, timeout: 5000, connectTimeout: 5000 });
  }

  private async serviceBind(client: Client): Promise<void> {
    if (this.config.LDAP_BIND_DN)
      await client.bind(this.config.LDAP_BIND_DN, this.config.LDAP_BIND_PASSWORD ?? '');
  }

  private attributes(): string[] {
    const c = this.config;
    return [
      c.LDAP_ATTR_EMAIL,
      c.LDAP_ATTR_NAME,
      c.LDAP_ATTR_DEPARTMENT,
      c.LDAP_ATTR_TITLE,
      c.LDAP_ATTR_ID,
      'userAccountControl',
    ];
  }

  /** Active Directory's objectGUID is binary: kept as hex, searched as escaped bytes. */
  private binaryId(): boolean {
    return this.config.LDAP_ATTR_ID.toLowerCase() === 'objectguid';
  }

  private static disabled(entry: Entry): boolean {
    const uac = Number(first(entry.userAccountControl) ?? '0');
    return Number.isFinite(uac) && (uac & AD_DISABLED) !== 0;
  }

  /** `unknown` when no entry matches (the local password is tried next), `refused` otherwise. */
  async authenticate(
    email: string,
    password: string,
  ): Promise<ExternalProfile | 'unknown' | 'refused'> {
    // An empty password is an anonymous bind, which most servers accept: never a sign-in.
    if (!password) return 'refused';
    const c = this.config;
    const finder = this.client();
    let entry: Entry | undefined;
    try {
      await this.serviceBind(finder);
      const { searchEntries } = await finder.search(c.LDAP_SEARCH_BASE!, {
        scope: 'sub',
        filter: ldapFilter(c.LDAP_SEARCH_FILTER, email),
        attributes: this.attributes(),
        explicitBufferAttributes: this.binaryId() ? [c.LDAP_ATTR_ID] : [],
        sizeLimit: 2,
      });
      // Two entries for one address: ambiguous, so nobody.
      if (searchEntries.length !== 1) return 'unknown';
      entry = searchEntries[0];
    } catch (error) {
      this.logger.pino.warn({ err: (error as Error).message }, 'LDAP search failed');
      // The directory is away: only a local password can sign in (the break-glass admin); people
      // of the directory have none.
      return 'unknown';
    } finally {
      await finder.unbind().catch(() => undefined);
    }
    if (LdapService.disabled(entry)) return 'refused';
    const checker = this.client();
    try {
      await checker.bind(entry.dn, password);
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError))
        this.logger.pino.warn({ err: (error as Error).message }, 'LDAP bind failed');
      return 'refused';
    } finally {
      await checker.unbind().catch(() => undefined);
    }
    return {
      provider: 'ldap',
      subject: first(entry[c.LDAP_ATTR_ID]) ?? entry.dn.toLowerCase(),
      email: first(entry[c.LDAP_ATTR_EMAIL]) ?? email,
      // The company's own directory vouches for its addresses.
      emailVerified: true,
      displayName: first(entry[c.LDAP_ATTR_NAME]),
      department: first(entry[c.LDAP_ATTR_DEPARTMENT]),
      jobTitle: first(entry[c.LDAP_ATTR_TITLE]),
    };
  }

  /** The entry still exists (by its id) and is not disabled (Active Directory). */
  async check(origin: OriginToCheck): Promise<{ status: 'present' | 'gone' | 'unknown' }> {
    const c = this.config;
    const client = this.client();
    try {
      await this.serviceBind(client);
      const value = this.binaryId()
        ? (origin.subject.match(/../g) ?? []).map((b) => `\\${b}`).join('')
        : ldapFilter('{{email}}', origin.subject);
      const filter = `(${c.LDAP_ATTR_ID}=${value})`;
      const { searchEntries } = await client.search(c.LDAP_SEARCH_BASE!, {
        scope: 'sub',
        filter,
        attributes: ['userAccountControl'],
        sizeLimit: 2,
      });
      if (searchEntries.length !== 1 || LdapService.disabled(searchEntries[0]))
        return { status: 'gone' };
      return { status: 'present' };
    } catch (error) {
      this.logger.pino.warn({ err: (error as Error).message }, 'LDAP recheck failed');
      return { status: 'unknown' };
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
