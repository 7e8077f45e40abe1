import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@ruche/identity';
import { NotifyModule } from '@ruche/notify';
import { FollowEntity } from './entities/follow.entity.js';
import { SocialGraphResolver } from './social-graph.resolver.js';
import { SocialGraphService } from './social-graph.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FollowEntity]), IdentityModule, NotifyModule],
  providers: [SocialGraphService, SocialGraphResolver],
  exports: [SocialGraphService],
})
export class SocialGraphModule {}
