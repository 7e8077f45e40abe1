import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@ruche/config';
import { dataSourceOptions } from './data-source.js';

/** The TypeORM connection; each domain registers its own entities with forFeature. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL),
        autoLoadEntities: true,
        migrations: [],
      }),
    }),
  ],
})
export class DatabaseModule {}
