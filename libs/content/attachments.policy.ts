import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readablePosts } from '@ruche/access';
import { isUuid, type Viewer } from '@ruche/common';
import { AttachmentReadPolicy } from '@ruche/storage';

/** A file attached to a post is readable exactly when its post is: the posts' own rule, one query. */
@Injectable()
export class PostsAttachmentPolicy extends AttachmentReadPolicy {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async readablePostIds(viewer: Viewer, postIds: string[]): Promise<Set<string>> {
    const ids = postIds.filter(isUuid);
    if (!ids.length) return new Set();
    const rule = readablePosts(viewer, 'p');
    const rows = await this.db
      .createQueryBuilder()
      .select('p.id', 'id')
      .from('posts', 'p')
      .where('p.id IN (:...ids)', { ids })
      .andWhere(rule.sql, rule.params)
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }
}
