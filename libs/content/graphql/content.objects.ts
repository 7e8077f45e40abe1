import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@ruche/common';
import type { AudienceName } from '@ruche/access';

export enum AudienceKind {
  NETWORK = 'NETWORK',
  FOLLOWERS = 'FOLLOWERS',
  PRIVATE = 'PRIVATE',
  GROUP = 'GROUP',
  CUSTOM = 'CUSTOM',
}
registerEnumType(AudienceKind, {
  name: 'AudienceKind',
  valuesMap: {
    NETWORK: { description: 'Every member of the network (guests excluded).' },
    FOLLOWERS: { description: "The author's followers at the time of reading, and the author." },
    PRIVATE: {
      description: "The author alone (and the wall owner, for a post on someone else's wall).",
    },
    GROUP: { description: "The readers of one group's content." },
    CUSTOM: { description: 'Named people and the members of named groups (an access list).' },
  },
});

/** Resolved by AudienceResolver: group, users and groups through the viewer's access. */
@ObjectType('Audience')
export class AudienceObject {
  @Field(() => AudienceKind) kind: AudienceKind;
  groupId: string | null;
  userIds: string[];
  groupIds: string[];
}

@ObjectType('PollOption')
export class PollOptionObject {
  @Field(() => ID) id: string;
  @Field(() => String) label: string;
  @Field(() => Int) votes: number;
  @Field(() => Boolean) viewerVoted: boolean;
}

@ObjectType('Poll')
export class PollObject {
  @Field(() => [PollOptionObject]) options: PollOptionObject[];
  @Field(() => Boolean) multipleChoice: boolean;
  @Field(() => Date, { nullable: true }) closesAt: Date | null;
}

@ObjectType('ReactionSummary')
export class ReactionSummaryObject {
  @Field(() => String) emoji: string;
  @Field(() => Int) count: number;
  @Field(() => Boolean) viewerReacted: boolean;
}

/** A post's body as it was before one of its edits. */
@ObjectType('PostRevision')
export class PostRevisionObject {
  @Field(() => String, { description: 'The Markdown source as it was.' }) body: string;
  @Field(() => String, { description: 'That source rendered and sanitized.' }) bodyHtml: string;
  @Field(() => Date, { description: 'When this body was replaced by the next one.' })
  replacedAt: Date;
}

/** A post the viewer may read (it was loaded through the access predicate). */
@ObjectType('Post')
export class PostObject {
  @Field(() => ID) id: string;
  @Field(() => String, { description: 'Source text, Markdown.' }) body: string;
  @Field(() => String, { description: 'Rendered and sanitized HTML: safe to inject in a page.' })
  bodyHtml: string;
  @Field(() => [String]) hashtags: string[];
  @Field(() => Boolean, {
    description:
      'A company-wide announcement (network admins, or group admins inside their group).',
  })
  isAnnouncement: boolean;
  @Field(() => Boolean) pinned: boolean;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) editedAt: Date | null;
  @Field(() => Boolean, {
    description: 'An announcement whose readers are asked to confirm they read it.',
  })
  acknowledgementRequired: boolean;
  @Field(() => Boolean, {
    description: 'Hidden by a moderator: only its author and moderators still read it.',
  })
  hidden: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Why a moderator hid it (set while hidden; its author and moderators read it).',
  })
  hiddenReason: string | null;
  authorId: string;
  wallOwnerId: string | null;
  groupId: string | null;
  audienceKind: AudienceName;
  audienceUserIds: string[];
  audienceGroupIds: string[];
  mentionIds: string[];
  hasPoll: boolean;
  pollMultipleChoice: boolean;
  pollClosesAt: Date | null;
  /** Read with the post by the pages and the loader (not a field): saves two statements a page. */
  counted?: { comments: number; reactions: ReactionSummaryObject[] };
}

@ObjectType('Comment')
export class CommentObject {
  @Field(() => ID) id: string;
  @Field(() => String) body: string;
  @Field(() => String) bodyHtml: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) editedAt: Date | null;
  @Field(() => Boolean, {
    description: 'Hidden by a moderator: only its author and moderators still read it.',
  })
  hidden: boolean;
  @Field(() => String, { nullable: true, description: 'Why a moderator hid it.' })
  hiddenReason: string | null;
  postId: string;
  parentId: string | null;
  authorId: string;
  mentionIds: string[];
}

export const PostConnection = Connection(PostObject, 'Post', { totalCount: false });
export const CommentConnection = Connection(CommentObject, 'Comment', { totalCount: true });
