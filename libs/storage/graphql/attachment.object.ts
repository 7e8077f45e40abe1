import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Attachment', {
  description: 'A file attached to a post; every version of a name is kept.',
})
export class AttachmentObject {
  @Field(() => ID) id: string;
  @Field(() => String) fileName: string;
  @Field(() => String) contentType: string;
  @Field(() => Int) byteSize: number;
  @Field(() => String, {
    description: 'Where to download it, with the same Bearer token: GET /api/files/:id.',
  })
  url: string;
  @Field(() => Int, {
    description: 'Starts at 1; a new upload of the same name on the same post is the next one.',
  })
  version: number;
  @Field(() => Date) createdAt: Date;
}
