// Typed operations from the served schema (apps/api/schema.gql, checked against the running API
// by test/schema.e2e.ts): a schema change that breaks an operation breaks `npm run build`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'apps/api/schema.gql',
  documents: ['apps/web/src/**/*.graphql'],
  generates: {
    'apps/web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        documentMode: 'documentNode',
      },
    },
  },
  ignoreNoDocuments: true,
  silent: true,
};
export default config;
