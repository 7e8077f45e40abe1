import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkSettingsEntity } from './entities/network-settings.entity.js';
import { NetworkResolver } from './network.resolver.js';
import { NetworkService } from './network.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([NetworkSettingsEntity])],
  providers: [NetworkService, NetworkResolver],
  exports: [NetworkService],
})
export class NetworkModule {}
