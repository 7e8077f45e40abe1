import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@ruche/audit';
import { AppConfig, ConfigModule } from '@ruche/config';
import { DataRightsCoreModule } from '@ruche/data-rights';
import { DatabaseModule } from '@ruche/database';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { QueueModule } from '@ruche/queue';

/** What the server-side commands need: the database, accounts, groups and the audit log, no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        QueueModule,
        AuditModule,
        IdentityModule,
        GroupsModule,
        DataRightsCoreModule,
      ],
    };
  }
}
