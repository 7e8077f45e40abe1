import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '@ruche/content';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { IntegrationCallEntity, IntegrationEntity } from './entities/integration.entity.js';
import { IntegrationsResolver } from './integrations.resolver.js';
import { IntegrationsService } from './integrations.service.js';

/** Incoming integrations (bots posting into a group) for the API. */
@Module({
  imports: [
    TypeOrmModule.forFeature([IntegrationEntity, IntegrationCallEntity]),
    IdentityModule,
    GroupsModule,
    ContentModule,
  ],
  providers: [IntegrationsService, IntegrationsResolver],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
