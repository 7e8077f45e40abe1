import type { ApolloServerPlugin } from '@apollo/server';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { MetricsService } from '@ruche/observability';

/** Depth of the deepest field, following fragments (cycles are refused by validation already). */
export function queryDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const depth = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD)
        max = Math.max(
          max,
          sel.name.value.startsWith('__') ? 0 : 1 + depth(sel.selectionSet, seen),
        );
      else if (sel.kind === Kind.INLINE_FRAGMENT)
        max = Math.max(max, depth(sel.selectionSet, seen));
      else if (!seen.has(sel.name.value)) {
        const next = new Set(seen).add(sel.name.value);
        max = Math.max(max, depth(fragments.get(sel.name.value)?.selectionSet, next));
      }
    }
    return max;
  };
  return depth(operation.selectionSet, new Set());
}

/**
 * A list field costs its children times the page it asks for (`first`, default 20). The `nodes`
 * and `edges` of a connection hold the page its connection already paid for: counted once.
 */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity, field, type }) => {
  if (/Connection$/.test(type.name) && (field.name === 'nodes' || field.name === 'edges'))
    return 1 + childComplexity;
  const isList = /Connection!?$/.test(String(field.type)) || String(field.type).startsWith('[');
  if (!isList) return undefined;
  const first = typeof args.first === 'number' ? args.first : 20;
  return 1 + first * Math.max(1, childComplexity);
};

/** Refuses over-deep or over-costly operations before they run, and times every operation. */
export function limitsPlugin(
  schemaRef: () => GraphQLSchema,
  limits: { maxDepth: number; maxCost: number },
  metrics: MetricsService,
): ApolloServerPlugin {
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let type = 'unknown';
      let field = 'unknown';
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          type = operation.operation;
          const first = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
          field = first && first.kind === Kind.FIELD ? first.name.value : 'unknown';
          const depth = queryDepth(document, operation);
          if (depth > limits.maxDepth) {
            throw new GraphQLError(
              `This query is ${depth} levels deep; the limit is ${limits.maxDepth}`,
              {
                extensions: { code: 'BAD_USER_INPUT', field: 'query', http: { status: 400 } },
              },
            );
          }
          // Variables that do not fit their types: graphql-js refuses them next, as BAD_USER_INPUT.
          const coerced = getVariableValues(
            schemaRef(),
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          if (coerced.errors?.length) return;
          // Apollo hands the same parsed document for the same text: without variables, its cost
          // is known after the first time.
          const plain = Object.keys(request.variables ?? {}).length === 0;
          const key = request.operationName ?? '';
          let cost = plain ? costs.get(document)?.get(key) : undefined;
          if (cost === undefined) {
            cost = getComplexity({
              schema: schemaRef(),
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
            if (plain)
              costs.set(
                document,
                (costs.get(document) ?? new Map<string, number>()).set(key, cost),
              );
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `This query costs ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer fields`,
              {
                extensions: { code: 'BAD_USER_INPUT', field: 'query', http: { status: 400 } },
              },
            );
          }
        },
        async willSendResponse({ response }) {
          const failed =
            response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphql.observe({ type, field, outcome: failed ? 'error' : 'ok' }, seconds);
        },
      };
    },
  };
}
