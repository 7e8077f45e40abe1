import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@ruche/audit';
import { NetworkSettingsEntity } from './entities/network-settings.entity.js';
import { NetworkResolver } from './network.resolver.js';
import { NetworkService } from './network.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([NetworkSettingsEntity]), AuditModule],
  providers: [NetworkService, NetworkResolver],
  exports: [NetworkService],
})
export class NetworkModule {}
