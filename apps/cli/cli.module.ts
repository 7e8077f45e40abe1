import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@ruche/config';
import { DataRightsCoreModule } from '@ruche/data-rights';
import { DatabaseModule } from '@ruche/database';
import { IdentityModule } from '@ruche/identity';
import { QueueModule } from '@ruche/queue';

/** What the server-side commands need: the database and the account services, no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        QueueModule,
        IdentityModule,
        DataRightsCoreModule,
      ],
    };
  }
}
