#!/usr/bin/env node
// README's table of environment variables, rendered from config/example.env (the one place each
// variable is documented): `node config/env-table.mjs --write` rewrites the table between the
// README's markers; test/deploy.e2e.ts fails when README and example.env disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url);
const BEGIN = '<!-- env-table:begin (node config/env-table.mjs --write) -->';
const END = '<!-- env-table:end -->';

/** Each variable of example.env with its default and the comment lines above it. */
export function variables(text = readFileSync(new URL('config/example.env', root), 'utf8')) {
  const out = [];
  let comment = [];
  let lastWasVariable = false;
  for (const line of text.split('\n')) {
    const v = /^(#\s?)?([A-Z][A-Z0-9_]+)=(.*)$/.exec(line);
    if (v) {
      out.push({ name: v[2], value: v[3], set: !v[1], about: comment.join(' ') });
      lastWasVariable = true;
    } else if (line.startsWith('#')) {
      if (lastWasVariable) comment = [];
      comment.push(line.replace(/^#\s?/, '').trim());
      lastWasVariable = false;
    } else {
      comment = [];
      lastWasVariable = false;
    }
  }
  return out;
}

const cell = (s) => s.replaceAll('|', '\\|');

export function table() {
  const rows = variables().map(
    (v) => `| \`${v.name}\` | ${v.value ? `\`${cell(v.value)}\`` : '—'} | ${cell(v.about)} |`,
  );
  return [
    BEGIN,
    '| Variable | Default or example | What it does |',
    '| --- | --- | --- |',
    ...rows,
    END,
  ].join('\n');
}

/** README with its table replaced by the rendered one. */
export function renderedReadme(readme = readFileSync(new URL('README.md', root), 'utf8')) {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < 0) throw new Error('README.md has no env-table markers');
  return readme.slice(0, a) + table() + readme.slice(b + END.length);
}

if (process.argv.includes('--write')) writeFileSync(new URL('README.md', root), renderedReadme());
