import { answersPlainJson } from './http-status.plugin.js';

describe('answersPlainJson (the media type Apollo answers with)', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['application/json', true],
    ['*/*', true],
    ['application/*', true],
    ['text/html, */*;q=0.8', true],
    ['application/graphql-response+json', false],
    ['application/graphql-response+json, application/json', false],
    ['application/json, application/graphql-response+json', true],
    // Apollo Client 4's header
    ['application/graphql-response+json,application/json;q=0.9', false],
    ['application/json;q=0.5, application/graphql-response+json;q=0.4', true],
    ['application/graphql-response+json, */*', false],
    ['application/json;q=0, */*', false],
    ['text/html', false],
  ])('%p → %p', (accept, plain) => expect(answersPlainJson(accept)).toBe(plain));
});
