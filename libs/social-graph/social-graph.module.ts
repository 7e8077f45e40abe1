import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@ruche/identity';
import { FollowEntity } from './entities/follow.entity.js';
import { SocialGraphResolver } from './social-graph.resolver.js';
import { SocialGraphService } from './social-graph.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FollowEntity]), IdentityModule],
  providers: [SocialGraphService, SocialGraphResolver],
  exports: [SocialGraphService],
})
export class SocialGraphModule {}
