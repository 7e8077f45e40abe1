import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { badInput, type Viewer, wellFormed } from '@ruche/common';
import { renderMarkdown } from '@ruche/content';
import { UsersService } from '@ruche/identity';
import { NetworkService } from '@ruche/network';
import {
  CharterAcceptanceEntity,
  CharterEntity,
  type CharterLocale,
} from './entities/governance.entities.js';
import type { CharterObject, PublishCharterArgs } from './graphql/governance.objects.js';

/** The network's charter: versions published by admins, accepted by every member. */
@Injectable()
export class CharterService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly network: NetworkService,
    private readonly users: UsersService,
  ) {}

  private current(): Promise<CharterEntity | null> {
    return this.db.getRepository(CharterEntity).findOne({ where: {}, order: { version: 'DESC' } });
  }

  /** The current charter in the viewer's language when there is one, with the network's quiet hours. */
  async get(viewer: Viewer): Promise<CharterObject | null> {
    const charter = await this.current();
    if (!charter) return null;
    const [settings, [me], accepted] = await Promise.all([
      this.network.get(),
      this.users.recipients([viewer.id]),
      this.db
        .getRepository(CharterAcceptanceEntity)
        .findOneBy({ userId: viewer.id, version: charter.version }),
    ]);
    const locale: CharterLocale = me?.locale ?? settings.defaultLocale;
    const text = charter.translations[locale] ?? { body: charter.body, bodyHtml: charter.bodyHtml };
    const base = (Object.keys(charter.translations) as CharterLocale[]).find(
      (l) => charter.translations[l]?.body === charter.body,
    );
    return {
      version: charter.version,
      body: text.body,
      bodyHtml: text.bodyHtml,
      locale: charter.translations[locale] ? locale : (base ?? settings.defaultLocale),
      publishedAt: charter.publishedAt,
      viewerAcceptedAt: accepted?.acceptedAt ?? null,
      quietHours: settings.quietHours,
    };
  }

  /** A new version (admins): the publisher accepts it at once; everyone else must. */
  async publish(viewer: Viewer, args: PublishCharterArgs): Promise<CharterObject> {
    if (!args.body.trim()) throw badInput('body', 'The charter must not be blank');
    const settings = await this.network.get();
    const locale = args.locale ?? settings.defaultLocale;
    const translations: CharterEntity['translations'] = {
      [locale]: { body: wellFormed(args.body), bodyHtml: renderMarkdown(wellFormed(args.body)) },
    };
    for (const [i, t] of (args.translations ?? []).entries()) {
      if (t.locale === locale || translations[t.locale])
        throw badInput(`translations.${i}.locale`, 'One text per language');
      if (!t.body.trim()) throw badInput(`translations.${i}.body`, 'must not be blank');
      translations[t.locale] = {
        body: wellFormed(t.body),
        bodyHtml: renderMarkdown(wellFormed(t.body)),
      };
    }
    await this.db.transaction(async (manager) => {
      // Serialises concurrent publications: versions are 1, 2, 3... without gaps.
      await manager.query('LOCK TABLE charters IN EXCLUSIVE MODE');
      const [{ next }] = await manager.query<{ next: number }[]>(
        'SELECT COALESCE(max(version), 0) + 1 AS next FROM charters',
      );
      await manager.insert(CharterEntity, {
        version: next,
        body: args.body,
        bodyHtml: translations[locale]!.bodyHtml,
        translations,
        publishedById: viewer.id,
      });
      await manager.insert(CharterAcceptanceEntity, { userId: viewer.id, version: next });
      // TODO(issue 16): AuditService.record({ action: 'charter.published', actorId, targetType: 'charter', targetId: version })
    });
    return (await this.get(viewer))!;
  }

  /** Accepts `version`, which must be the current one (an older one asks again). */
  async accept(viewer: Viewer, version: number): Promise<CharterObject> {
    const charter = await this.current();
    if (!charter) throw badInput('version', 'No charter has been published');
    if (charter.version !== version)
      throw badInput('version', `The current charter is version ${charter.version}`);
    await this.db.query(
      'INSERT INTO charter_acceptances (user_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [viewer.id, version],
    );
    return (await this.get(viewer))!;
  }

  /** Who accepted which version and when, as CSV (admins): every version, oldest first. */
  async exportCsv(): Promise<string> {
    const rows: { version: number; email: string; name: string; at: Date }[] = await this.db.query(
      `SELECT a.version, u.email, u.display_name AS name, a.accepted_at AS at
         FROM charter_acceptances a JOIN users u ON u.id = a.user_id
        ORDER BY a.version, a.accepted_at, u.email`,
    );
    const cell = (v: string) => {
      // Quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula.
      const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
      return `"${safe.replace(/"/g, '""')}"`;
    };
    const lines = rows.map((r) =>
      [String(r.version), cell(r.email), cell(r.name), new Date(r.at).toISOString()].join(','),
    );
    return ['version,email,name,accepted_at', ...lines].join('\r\n') + '\r\n';
  }
}
