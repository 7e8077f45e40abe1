import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@ruche/config';
import { dataSourceOptions } from './data-source.js';
import { HotReads } from './hot-reads.js';

/** The TypeORM connection; each domain registers its own entities with forFeature. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, [], config.DATABASE_POOL_SIZE),
        autoLoadEntities: true,
        migrations: [],
      }),
    }),
  ],
  providers: [
    {
      provide: HotReads,
      inject: [getDataSourceToken(), AppConfig],
      useFactory: (main: DataSource, config: AppConfig) =>
        HotReads.over(main, config.DATABASE_HOT_POOL_SIZE),
    },
  ],
  exports: [HotReads],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly hot: HotReads) {}

  async onApplicationShutdown(): Promise<void> {
    await this.hot.close();
  }
}
