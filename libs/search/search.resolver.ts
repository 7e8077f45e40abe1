import { Args, Query, Resolver } from '@nestjs/graphql';
import { Ctx, CurrentViewer, type Page, type RequestContext, type Viewer } from '@ruche/common';
import { SearchArgs, SearchConnection, type SearchHitValue } from './graphql/search.objects.js';
import { SearchService } from './search.service.js';

@Resolver()
export class SearchResolver {
  constructor(private readonly service: SearchService) {}

  @Query(() => SearchConnection, { name: 'search' })
  find(
    @Args() args: SearchArgs,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<SearchHitValue>> {
    return this.service.search(ctx, viewer, args);
  }
}
