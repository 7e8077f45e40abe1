import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@ruche/common';

export enum ActivityVerb {
  POSTED = 'POSTED',
  COMMENTED = 'COMMENTED',
  JOINED_GROUP = 'JOINED_GROUP',
  CREATED_GROUP = 'CREATED_GROUP',
  UPDATED_PROFILE = 'UPDATED_PROFILE',
}
registerEnumType(ActivityVerb, { name: 'ActivityVerb' });

@ObjectType('Activity', {
  description: 'One line of an activity feed. Its readability is that of its object.',
})
export class ActivityObject {
  @Field(() => ID) id: string;
  @Field(() => ActivityVerb) verb: ActivityVerb;
  @Field(() => Date) createdAt: Date;
  actorId: string;
  postId: string | null;
  commentId: string | null;
  groupId: string | null;
}

export const ActivityConnection = Connection(ActivityObject, 'Activity', { totalCount: false });
