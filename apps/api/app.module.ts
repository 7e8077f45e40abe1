import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MulterModule } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { AuditModule } from '@ruche/audit';
import { AppConfig, ConfigModule } from '@ruche/config';
import { DatabaseModule } from '@ruche/database';
import { ContentModule, PostsAttachmentPolicy } from '@ruche/content';
import { ConversationsModule } from '@ruche/conversations';
import { GovernanceModule } from '@ruche/governance';
import { DataRightsModule } from '@ruche/data-rights';
import { GroupsModule } from '@ruche/groups';
import { HomeFeedModule } from '@ruche/home-feed';
import { IntegrationsModule } from '@ruche/integrations';
import { IdentityModule, SessionsService } from '@ruche/identity';
import { NetworkModule } from '@ruche/network';
import { NotificationsModule } from '@ruche/notifications';
import {
  MetricsService,
  ObservabilityModule,
  RucheLogger,
  RucheLoggerModule,
} from '@ruche/observability';
import { QueueModule } from '@ruche/queue';
import { SearchModule } from '@ruche/search';
import { SocialGraphModule } from '@ruche/social-graph';
import { SsoModule } from '@ruche/sso';
import type { RequestContext } from '@ruche/common';
import { AttachmentReadPolicy, AttachmentsService, StorageModule } from '@ruche/storage';
import { AuditController } from './audit.controller.js';
import { authenticate, AuthGuard } from './auth.guard.js';
import { formatError, validationPipe } from './errors.js';
import { ErrorsFilter } from './errors.filter.js';
import { CharterExportController } from './charter-export.controller.js';
import { FilesController } from './files.controller.js';
import { HealthController } from './health.controller.js';
import { HooksController } from './hooks.controller.js';
import { httpStatusPlugin } from './http-status.plugin.js';
import { limitsPlugin, socketLimits } from './limits.plugin.js';
import { SsoController } from './sso.controller.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { webSession } from './web-session.js';

const requestIdOf = (req: Request | undefined): string => {
  const id = (req as (Request & { id?: unknown }) | undefined)?.id;
  return typeof id === 'string' ? id : '';
};

/** The API: GraphQL on /graphql (HTTP and graphql-ws), file uploads and downloads, health and metrics. */
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
        AuditModule,
        NetworkModule,
        IdentityModule,
        SocialGraphModule,
        GroupsModule,
        SearchModule,
        StorageModule,
        MulterModule.registerAsync({
          imports: [StorageModule],
          inject: [AttachmentsService],
          // Streamed to disk, cut at UPLOAD_MAX_BYTES (413): no upload is held in memory.
          useFactory: (attachments: AttachmentsService) => ({
            dest: attachments.receiveDir, // multer names each file with 16 random bytes
            limits: {
              fileSize: config.UPLOAD_MAX_BYTES,
              files: 1,
              fields: 10,
              parts: 11,
              headerPairs: 100,
              fieldSize: 1024,
            },
            defParamCharset: 'utf8',
          }),
        }),
        NotificationsModule,
        ContentModule,
        DataRightsModule,
        HomeFeedModule,
        SsoModule,
        ConversationsModule,
        GovernanceModule,
        IntegrationsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [IdentityModule],
          inject: [SessionsService, MetricsService, RucheLogger],
          useFactory: (
            sessions: SessionsService,
            metrics: MetricsService,
            logger: RucheLogger,
          ) => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            playground: false,
            introspection: config.GRAPHQL_INTROSPECTION === 'true',
            // Bounds parsing (and what follows) of any document, introspection included.
            parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
            includeStacktraceInErrorResponses: false,
            transformSchema: (s: GraphQLSchema) => (schema = s),
            // Served before Post.attachments exists, so the contract test checks it now.
            formatError: formatError(logger.pino),
            plugins: [
              // No HTTP caching of GraphQL answers here (they are per viewer): skip its per-field hook.
              ApolloServerPluginCacheControlDisabled(),
              httpStatusPlugin(),
              limitsPlugin(
                () => schema!,
                { maxDepth: config.GRAPHQL_MAX_DEPTH, maxCost: config.GRAPHQL_MAX_COST },
                metrics,
              ),
            ],
            subscriptions: {
              'graphql-ws': {
                path: '/graphql',
                onSubscribe: socketLimits(() => schema!, {
                  maxDepth: config.GRAPHQL_MAX_DEPTH,
                  maxCost: config.GRAPHQL_MAX_COST,
                  maxTokens: config.GRAPHQL_MAX_TOKENS,
                  introspection: config.GRAPHQL_INTROSPECTION === 'true',
                }),
              },
            },
            context: async (args: {
              req?: Request;
              res?: Response;
              extra?: { request?: Request };
              connectionParams?: Record<string, unknown>;
            }): Promise<RequestContext> => {
              const req = args.req ?? args.extra?.request;
              const header = args.req
                ? req?.headers.authorization
                : (args.connectionParams?.authorization ?? args.connectionParams?.Authorization);
              const auth = await authenticate(sessions, header);
              let web: RequestContext['web'];
              let refused: Error | undefined;
              try {
                web =
                  args.req && args.res
                    ? webSession(args.req, args.res, config.PUBLIC_URL, config.REFRESH_TOKEN_TTL)
                    : undefined;
              } catch (error) {
                refused = error as Error;
              }
              return {
                ...auth,
                web,
                refused,
                ip: req?.ip ?? req?.socket?.remoteAddress ?? 'unknown',
                userAgent: req?.headers['user-agent'],
                acceptLanguage: req?.headers['accept-language'],
                requestId: requestIdOf(req),
                loaders: new Map(),
              };
            },
          }),
        }),
      ],
      controllers: [
        HealthController,
        FilesController,
        UnsubscribeController,
        SsoController,
        CharterExportController,
        HooksController,
        AuditController,
      ],
      providers: [
        // A file attached to a post is readable exactly when its post is.
        { provide: AttachmentReadPolicy, useExisting: PostsAttachmentPolicy },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useValue: validationPipe },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
    };
  }
}
