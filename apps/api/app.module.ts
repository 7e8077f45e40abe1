import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@ruche/config';
import { DatabaseModule } from '@ruche/database';
import { ContentModule } from '@ruche/content';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule, SessionsService } from '@ruche/identity';
import { NetworkModule } from '@ruche/network';
import { MetricsService, ObservabilityModule, RucheLoggerModule } from '@ruche/observability';
import { QueueModule } from '@ruche/queue';
import { SocialGraphModule } from '@ruche/social-graph';
import { unauthenticated, type RequestContext, type Viewer } from '@ruche/common';
import { AuthGuard } from './auth.guard.js';
import { formatError, validationPipe } from './errors.js';
import { ErrorsFilter } from './errors.filter.js';
import { HealthController } from './health.controller.js';
import { limitsPlugin } from './limits.plugin.js';

async function authenticate(sessions: SessionsService, header: unknown): Promise<{ viewer: Viewer | null; authError?: Error }> {
  if (typeof header !== 'string' || !header) return { viewer: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return { viewer: null, authError: unauthenticated('Use "Authorization: Bearer <accessToken>"') };
  try {
    return { viewer: await sessions.authenticate(match[1]) };
  } catch (error) {
    return { viewer: null, authError: error as Error };
  }
}

/** The API: GraphQL on /graphql (HTTP and graphql-ws), health and metrics. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    let schema: GraphQLSchema | undefined;
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        RucheLoggerModule,
        DatabaseModule,
        QueueModule,
        ObservabilityModule,
        NetworkModule,
        IdentityModule,
        SocialGraphModule,
        GroupsModule,
        ContentModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [IdentityModule],
          inject: [SessionsService, MetricsService, PinoLogger],
          useFactory: (sessions: SessionsService, metrics: MetricsService, logger: PinoLogger) => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            playground: false,
            introspection: true,
            includeStacktraceInErrorResponses: false,
            transformSchema: (s: GraphQLSchema) => (schema = s),
            formatError: formatError(logger.logger),
            plugins: [
              limitsPlugin(() => schema!, { maxDepth: config.GRAPHQL_MAX_DEPTH, maxCost: config.GRAPHQL_MAX_COST }, metrics),
            ],
            subscriptions: {
              'graphql-ws': { path: '/graphql' },
            },
            context: async (args: { req?: Request; extra?: { request?: Request }; connectionParams?: Record<string, unknown> }): Promise<RequestContext> => {
              const req = args.req ?? args.extra?.request;
              const header = args.req ? req?.headers.authorization : (args.connectionParams?.authorization ?? args.connectionParams?.Authorization);
              const auth = await authenticate(sessions, header);
              return {
                ...auth,
                ip: req?.ip ?? req?.socket?.remoteAddress ?? 'unknown',
                userAgent: req?.headers['user-agent'],
                acceptLanguage: req?.headers['accept-language'],
                requestId: String((req as (Request & { id?: unknown }) | undefined)?.id ?? ''),
                loaders: new Map(),
              };
            },
          }),
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useValue: validationPipe },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
    };
  }
}
