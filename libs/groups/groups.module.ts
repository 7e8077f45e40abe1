import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@ruche/audit';
import { FeedModule } from '@ruche/feed';
import { IdentityModule } from '@ruche/identity';
import { NotifyModule } from '@ruche/notify';
import { GroupMembershipEntity } from './entities/group-membership.entity.js';
import { GroupEntity } from './entities/group.entity.js';
import { GroupsResolver, MembershipsResolver, UserGroupsResolver } from './groups.resolver.js';
import { GroupsService } from './groups.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([GroupEntity, GroupMembershipEntity]),
    IdentityModule,
    NotifyModule,
    FeedModule,
    AuditModule,
  ],
  providers: [GroupsService, GroupsResolver, MembershipsResolver, UserGroupsResolver],
  exports: [GroupsService],
})
export class GroupsModule {}
