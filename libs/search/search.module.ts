import { Module } from '@nestjs/common';
import { ContentModule } from '@ruche/content';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { SearchResolver } from './search.resolver.js';
import { SearchService } from './search.service.js';

@Module({
  imports: [IdentityModule, GroupsModule, ContentModule],
  providers: [SearchService, SearchResolver],
  exports: [SearchService],
})
export class SearchModule {}
