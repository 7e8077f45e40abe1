// oidc-provider ships no types: the little the SSO test uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Account {
    accountId: string;
    claims: () => Record<string, unknown>;
  }

  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        findAccount?: (ctx: unknown, sub: string) => Account | undefined;
      },
    );
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }
}
