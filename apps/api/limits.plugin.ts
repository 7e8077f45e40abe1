import type { ApolloServerPlugin } from '@apollo/server';
import {
  BREAK,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { hasControlCharacter } from '@ruche/common';
import type { MetricsService } from '@ruche/observability';

/** `ofType` nested deeper is refused: the standard introspection query nests 9 (`[[[T!]!]!]!` needs 7). */
export const MAX_OF_TYPE_DEPTH = 10;
/**
 * Fields an introspection-only operation may select once its fragments are expanded: the standard
 * query selects about 230, so aliases cannot ask for the whole schema more than a few times.
 */
export const MAX_INTROSPECTION_FIELDS = 1000;

const fragmentsOf = (document: DocumentNode) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
};

/**
 * Folds an operation's selections, each fragment once (validation has refused cycles): `field`
 * gives a field's own value from its children's, `merge` combines siblings.
 */
function foldSelections(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: (node: FieldNode, children: () => number) => number,
  merge: (a: number, b: number) => number,
): number {
  const fragments = fragmentsOf(document);
  const done = new Map<string, number>();
  const fold = (set: SelectionSetNode | undefined): number => {
    let acc = 0;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD)
        acc = merge(
          acc,
          field(sel, () => fold(sel.selectionSet)),
        );
      else if (sel.kind === Kind.INLINE_FRAGMENT) acc = merge(acc, fold(sel.selectionSet));
      else {
        const name = sel.name.value;
        if (!done.has(name)) {
          done.set(name, 0);
          done.set(name, fold(fragments.get(name)?.selectionSet));
        }
        acc = merge(acc, done.get(name)!);
      }
    }
    return acc;
  };
  return fold(operation.selectionSet);
}

/** Depth of the deepest field, following fragments; introspection fields do not count. */
export function queryDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  return foldSelections(
    document,
    operation,
    (f, children) => (f.name.value.startsWith('__') ? 0 : 1 + children()),
    Math.max,
  );
}

/** The longest chain of `ofType` inside one another (introspection of wrapped types). */
export function ofTypeDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  return foldSelections(
    document,
    operation,
    (f, children) => (f.name.value === 'ofType' ? 1 : 0) + children(),
    Math.max,
  );
}

/** Fields selected once fragments are expanded (what the answer holds per object). */
export function selectedFields(document: DocumentNode, operation: OperationDefinitionNode): number {
  return foldSelections(
    document,
    operation,
    (_, children) => 1 + children(),
    (a, b) => a + b,
  );
}

/**
 * Whether every root field, fragments included, is `__schema`, `__type` or `__typename`: the
 * operation reads the schema, no data. Anything else at the root is costed as a data query.
 */
export function isIntrospectionOnly(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  // 1 for a root field that reads data: the fold then says whether any does.
  return (
    foldSelections(
      document,
      operation,
      (f) => (f.name.value.startsWith('__') ? 0 : 1),
      Math.max,
    ) === 0
  );
}

/** The first path inside an argument's value to a string holding a control character. */
function controlInValue(value: unknown, type: GraphQLInputType, path: string[]): string[] | null {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return controlInValue(value, type.ofType, path);
  if (isListType(type)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    for (const [i, item] of items.entries()) {
      const found = controlInValue(item, type.ofType, [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const found = fields[name] && controlInValue(item, fields[name].type, [...path, name]);
      if (found) return found;
    }
    return null;
  }
  // String and ID, and any scalar whose value is text.
  return typeof value === 'string' && hasControlCharacter(value) ? path : null;
}

/**
 * The first argument, anywhere in the operation (inline or through variables, nested inputs and
 * lists included), whose text holds a control character other than tab and line breaks — named as
 * validation names fields: `name` inside `input: { name }`, `emails.1`, `slug` — or null.
 */
export function controlCharacterArgument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): string | null {
  const typeInfo = new TypeInfo(schema);
  const definitions = document.definitions.filter(
    (d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION,
  );
  let found: string | null = null;
  visit(
    { ...document, definitions },
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (!arg) return;
        const path = controlInValue(valueFromAST(node.value, arg.type, variables), arg.type, [
          arg.name,
        ]);
        if (!path) return;
        found = (isInputObjectType(getNullableType(arg.type)) ? path.slice(1) : path).join('.');
        return BREAK;
      },
    }),
  );
  return found;
}

export const INTROSPECTION_OFF =
  'Introspection is turned off on this server (GRAPHQL_INTROSPECTION=false)';

/** `__schema` and `__type` refused as FORBIDDEN: for graphql-ws (Apollo has its own rule for HTTP). */
export const introspectionOffRule = (context: ValidationContext): ASTVisitor => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type')
      context.reportError(
        new GraphQLError(INTROSPECTION_OFF, { nodes: [node], extensions: { code: 'FORBIDDEN' } }),
      );
  },
});

const refusal = (message: string, field = 'query') =>
  new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
  });

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

/** Answers to the same parsed document, kept while it lives (Apollo reuses parsed documents). */
export interface LimitsMemo {
  costs: WeakMap<DocumentNode, Map<string, number>>;
  controls: WeakMap<OperationDefinitionNode, string | null>;
}

export const newLimitsMemo = (): LimitsMemo => ({ costs: new WeakMap(), controls: new WeakMap() });

/**
 * Why this operation is refused before it runs, or null: too deep, an ofType chain too long,
 * control characters in a text argument, an introspection too large, or too costly. The one
 * rule for HTTP (limitsPlugin) and graphql-ws (onSubscribe).
 */
export function refusalOf(
  schema: GraphQLSchema,
  limits: { maxDepth: number; maxCost: number },
  document: DocumentNode,
  operation: OperationDefinitionNode,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  memo: LimitsMemo,
): GraphQLError | null {
  const depth = queryDepth(document, operation);
  if (depth > limits.maxDepth)
    return refusal(`This query is ${depth} levels deep; the limit is ${limits.maxDepth}`);
  const chain = ofTypeDepth(document, operation);
  if (chain > MAX_OF_TYPE_DEPTH)
    return refusal(
      `This query nests ofType ${chain} levels deep; the limit is ${MAX_OF_TYPE_DEPTH}`,
    );
  const variables = request.variables ?? {};
  // Variables that do not fit their types: graphql-js refuses them next, as BAD_USER_INPUT.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors?.length) return null;
  // The same parsed document for the same text: without variables, what it is refused for is
  // known after the first time.
  const plain = Object.keys(variables).length === 0;
  let control = plain ? memo.controls.get(operation) : undefined;
  if (control === undefined) {
    control = controlCharacterArgument(schema, document, operation, coerced.coerced ?? {});
    if (plain) memo.controls.set(operation, control);
  }
  if (control !== null)
    return refusal(
      `${control} must not hold control characters (tab and line breaks are the only ones allowed)`,
      control,
    );
  // Reading the schema costs no data: bounded by its own rules instead (graphql-js
  // MaxIntrospectionDepthRule, the ofType chain above, GRAPHQL_MAX_TOKENS and this).
  if (isIntrospectionOnly(document, operation)) {
    const fields = selectedFields(document, operation);
    return fields > MAX_INTROSPECTION_FIELDS
      ? refusal(
          `This introspection query selects ${fields} fields; the limit is ${MAX_INTROSPECTION_FIELDS}`,
        )
      : null;
  }
  const key = request.operationName ?? '';
  let cost = plain ? memo.costs.get(document)?.get(key) : undefined;
  if (cost === undefined) {
    cost = getComplexity({
      schema,
      query: document,
      operationName: request.operationName ?? undefined,
      variables,
      estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
    if (plain)
      memo.costs.set(
        document,
        (memo.costs.get(document) ?? new Map<string, number>()).set(key, cost),
      );
  }
  return cost > limits.maxCost
    ? refusal(
        `This query costs ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer fields`,
      )
    : null;
}

/** Refuses over-deep, over-costly or hostile operations before they run, and times every operation. */
export function limitsPlugin(
  schemaRef: () => GraphQLSchema,
  limits: { maxDepth: number; maxCost: number },
  metrics: MetricsService,
): ApolloServerPlugin {
  const memo = newLimitsMemo();
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
          const refused = refusalOf(schemaRef(), limits, document, operation, request, memo);
          if (refused) throw refused;
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

/**
 * graphql-ws's onSubscribe: what arrives over the socket (subscriptions, and the queries and
 * mutations graphql-ws also runs) meets the same limits as HTTP — parsed within the token cap,
 * validated (introspection refused when turned off), then refusalOf.
 */
export function socketLimits(
  schemaRef: () => GraphQLSchema,
  limits: { maxDepth: number; maxCost: number; maxTokens: number; introspection: boolean },
) {
  const memo = newLimitsMemo();
  const rules = limits.introspection ? specifiedRules : [...specifiedRules, introspectionOffRule];
  return (
    _ctx: unknown,
    _id: string,
    payload: {
      query: string;
      operationName?: string | null;
      variables?: Record<string, unknown> | null;
    },
  ): ExecutionArgs | readonly GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: limits.maxTokens });
    } catch (error) {
      return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')];
    }
    const schema = schemaRef();
    const invalid = validate(schema, document, rules);
    if (invalid.length) return invalid;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [new GraphQLError('Name the operation to run (operationName)')];
    const refused = refusalOf(schema, limits, document, operation, payload, memo);
    if (refused) return [refused];
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
    };
  };
}
