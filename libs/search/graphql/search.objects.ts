import { ArgsType, createUnionType, Field, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Connection, PageArgs } from '@ruche/common';
import { PostObject } from '@ruche/content';
import { GroupObject } from '@ruche/groups';
import { UserObject } from '@ruche/identity';

export enum SearchKind {
  USER = 'USER',
  GROUP = 'GROUP',
  POST = 'POST',
}
registerEnumType(SearchKind, { name: 'SearchKind' });

/** A hit carries its kind so the union can tell which object it is. */
export type SearchHitValue =
  | (UserObject & { searchKind: 'USER' })
  | (GroupObject & { searchKind: 'GROUP' })
  | (PostObject & { searchKind: 'POST' });

export const SearchHit = createUnionType({
  name: 'SearchHit',
  types: () => [UserObject, GroupObject, PostObject] as const,
  resolveType: (value: SearchHitValue) =>
    ({ USER: UserObject, GROUP: GroupObject, POST: PostObject })[value.searchKind],
});

export const SearchConnection = Connection(SearchHit as never, 'SearchHit', {
  totalCount: false,
  connectionName: 'SearchConnection',
});

@ArgsType()
export class SearchArgs extends PageArgs {
  @Field(() => String) @IsString() @MaxLength(10000) query: string;
  @Field(() => [SearchKind], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(Object.values(SearchKind), { each: true })
  kinds?: SearchKind[];
}
