#!/usr/bin/env node
// The directory's queries on a company of 100,000 people: are they served by their indexes, and how fast?
//
//   npm run build && node bench/directory-explain.mjs
//
// Creates the database ruche_bench_directory (dropped first if it exists, dropped again at the end),
// migrates it with the real `ruche migrate`, fills `users` with 100,000 synthetic people in one
// INSERT ... SELECT over generate_series, ANALYZEs, then runs EXPLAIN (ANALYZE, BUFFERS) on the SQL
// that UsersService.directory has TypeORM issue, for a MEMBER viewer (the common case). Prints each
// plan, then a JSON summary: median execution time of 5 runs, the indexes used, and a verdict.
//
// Environment: PG_ADMIN_URL (or TEST_PG_URL; default postgres://postgres@127.0.0.1:5432/postgres),
// REDIS_URL (the migrate command checks Redis is there), USERS (default 100000), RUNS (default 5),
// KEEP=1 to keep the database afterwards.
import { connect, dropDatabase, explain, freshDatabase, log, requireBuild } from './support.mjs';

const DB = 'ruche_bench_directory';
const USERS = Number(process.env.USERS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);
const SLOW_MS = 20;

// --- synthetic company --------------------------------------------------------------------------

const lit = (values) =>
  `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

const FIRST = [
  'Marie',
  'Martin',
  'Marc',
  'Marion',
  'Mariam',
  'Mario',
  'Marthe',
  'Margaux',
  'Jean',
  'Jeanne',
  'Élodie',
  'François',
  'Françoise',
  'Hélène',
  'Jérôme',
  'Chloé',
  'Zoë',
  'Noémie',
  'Anaïs',
  'Loïc',
  'Gaëlle',
  'Benoît',
  'Cécile',
  'Léa',
  'Théo',
  'Inès',
  'Raphaël',
  'Mathéo',
  'Pierre',
  'Paul',
  'Sophie',
  'Camille',
  'Julien',
  'Nicolas',
  'Thomas',
  'Antoine',
  'Lucas',
  'Emma',
  'Louise',
  'Alice',
  'Manon',
  'Sarah',
  'Hugo',
  'Arthur',
  'Louis',
  'Nathalie',
  'Isabelle',
  'Sylvie',
  'Philippe',
  'Olivier',
  'David',
  'James',
  'John',
  'Robert',
  'Michael',
  'William',
  'Mary',
  'Patricia',
  'Jennifer',
  'Linda',
  'Elizabeth',
  'Susan',
  'Jessica',
  'Karen',
  'Emily',
  'Oliver',
  'Harry',
  'George',
  'Amelia',
  'Olivia',
  'Isla',
  'Ava',
  'Noah',
  'Jack',
  'Charlotte',
  'Sophia',
  'Grace',
  'Daniel',
  'Matthew',
  'Andrew',
  'Joseph',
  'Mark',
  'Margaret',
  'Rachel',
  'Samuel',
];
const LAST = [
  'Dupont',
  'Durand',
  'Dubois',
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Müller',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Garcia',
  'Perrin',
  'Robin',
  'Clément',
  'Morin',
  'Nicolas',
  'Henry',
  'Roussel',
  'Mathieu',
  'Gautier',
  'Masson',
  'Marchand',
  'Duval',
  'Denis',
  'Lemaire',
  'Noël',
  'Meyer',
  'Dufour',
  'Meunier',
  'Brun',
  'Blanchard',
  'Giraud',
  'Joly',
  'Rivière',
  'Lucas',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Martínez',
  'Gérard',
  'Roche',
  'Renard',
  'Schmitt',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Moore',
  'Jackson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Adams',
  'Nelson',
  'Carter',
  'Mitchell',
  'Roberts',
  'Turner',
  'Phillips',
  'Campbell',
  'Parker',
  'Evans',
  'Edwards',
  'Collins',
  "O'Brien",
];
const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Marketing',
  'Finance',
  'Human Resources',
  'Legal',
  'Customer Success',
  'Product',
  'Design',
  'Operations',
  'Ressources humaines',
  'Direction générale',
  'Achats',
  'Logistique',
  'Recherche & Développement',
  'Communication',
  'Informatique',
  'Qualité',
  'Support',
  'Data',
];
const TITLES = [
  'Software Engineer',
  'Senior Software Engineer',
  'Engineering Manager',
  'Product Manager',
  'Designer',
  'Data Analyst',
  'Account Executive',
  'Sales Manager',
  'Marketing Manager',
  'Accountant',
  'Financial Controller',
  'HR Business Partner',
  'Recruiter',
  'Legal Counsel',
  'Customer Success Manager',
  'Support Specialist',
  'Office Manager',
  'Chef de projet',
  'Développeuse',
  'Développeur',
  'Ingénieur qualité',
  'Responsable logistique',
  'Acheteuse',
  'Directrice financière',
  'Directeur commercial',
  'Chargée de communication',
  'Technicien support',
  'Assistante de direction',
  'Architecte logiciel',
  'Juriste',
  'Comptable',
  'Contrôleur de gestion',
  'Responsable marketing',
  'Data Scientist',
  'DevOps Engineer',
];
const SKILLS = [
  'TypeScript',
  'PostgreSQL',
  'Kubernetes',
  'Négociation',
  'Gestion de projet',
  'Excel',
  'SAP',
  'Salesforce',
  'Figma',
  'Python',
  'Java',
  'Rust',
  'Go',
  'React',
  'Management',
  'Prise de parole',
  'Comptabilité',
  'Droit social',
  'Recrutement',
  'SEO',
  'Rédaction',
  'Anglais',
  'Allemand',
  'Espagnol',
  'Lean',
  'Agile',
  'Scrum',
  'Machine Learning',
  'Sécurité',
  'Réseaux',
  'Customer Care',
  'Budgeting',
  'Public Speaking',
  'Leadership',
  'Data Visualization',
  'Supply Chain',
  'Éco-conception',
];
const LOCATIONS = [
  'Paris',
  'Lyon',
  'Lille',
  'Nantes',
  'Bordeaux',
  'Toulouse',
  'Montréal',
  'London',
  'Dublin',
  'New York',
  'Remote',
];

// fold() of libs/common/text.ts: NFKD, marks removed, lower case. The names above only use these accents.
const ACCENTED = 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿ';
const PLAIN = 'aaaaaaceeeeiiiinooooouuuuyy';
const fold = (expr) => `translate(lower(${expr}), '${ACCENTED}', '${PLAIN}')`;

/** One INSERT ... SELECT: every NOT NULL column, sort_name and search_text as deriveSearchColumns makes them. */
const FILL = `
SELECT setseed(0.42);
INSERT INTO users (email, handle, display_name, password_hash, role, status, email_verified_at, job_title, department,
                   location, phone, bio, skills, timezone, locale, sort_name, search_text, created_at, updated_at)
SELECT p.handle || '@acme.test', p.handle, p.display_name,
       '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0$YmVuY2hoYXNoYmVuY2hoYXNoYmVuY2hoYXNo',
       CASE WHEN p.g % 500 = 0 THEN 'ADMIN' WHEN p.g % 97 = 0 THEN 'GUEST' ELSE 'MEMBER' END,
       p.status, CASE WHEN p.status <> 'PENDING' THEN p.created_at END,
       p.job_title, p.department, p.location,
       CASE WHEN p.g % 3 = 0 THEN '+33 1 ' || lpad((p.g % 100000000)::text, 8, '0') END,
       CASE WHEN p.g % 5 = 0 THEN 'Hello, I work in ' || p.department || '.' END,
       p.skills, CASE WHEN p.locale = 'fr' THEN 'Europe/Paris' ELSE 'Europe/London' END, p.locale,
       ${fold('p.display_name')},
       (SELECT string_agg(w.word, ' ' ORDER BY w.first)
          FROM (SELECT word, min(ord) AS first
                  FROM regexp_split_to_table(
                         ${fold("concat_ws(' ', p.display_name, p.handle, p.job_title, p.department, array_to_string(p.skills, ' '))")},
                         '[^[:alnum:]]+') WITH ORDINALITY AS t(word, ord)
                 WHERE word <> ''
                 GROUP BY word) w),
       p.created_at, p.created_at
  FROM (
    SELECT n.*,
           regexp_replace(${fold("n.first_name || '.' || n.last_name")}, '[^a-z0-9.]+', '', 'g') || n.g AS handle
      FROM (
        SELECT g,
               f AS first_name, l AS last_name, f || ' ' || l AS display_name,
               (${lit(TITLES)})[1 + floor(random() * ${TITLES.length})::int] AS job_title,
               (${lit(DEPARTMENTS)})[1 + floor(power(random(), 1.6) * ${DEPARTMENTS.length})::int] AS department,
               (${lit(LOCATIONS)})[1 + floor(random() * ${LOCATIONS.length})::int] AS location,
               ARRAY(SELECT DISTINCT (${lit(SKILLS)})[1 + floor(random() * ${SKILLS.length})::int]
                       FROM generate_series(1, (g % 5)) WHERE g > 0) AS skills,
               CASE WHEN random() < 0.93 THEN 'ACTIVE' WHEN random() < 0.6 THEN 'PENDING' ELSE 'SUSPENDED' END AS status,
               CASE WHEN random() < 0.6 THEN 'fr' ELSE 'en' END AS locale,
               now() - random() * interval '6 years' AS created_at
          FROM generate_series(1, ${USERS}) AS g,
               LATERAL (SELECT (${lit(FIRST)})[1 + floor(random() * ${FIRST.length} + g * 0)::int] AS f,
                               (${lit(LAST)})[1 + floor(random() * ${LAST.length} + g * 0)::int] AS l) AS names
      ) n
  ) p;
`;

// --- the directory's SQL, as TypeORM writes it for UsersService.directory -----------------------

const COLUMNS = [
  'id',
  'email',
  'handle',
  'display_name',
  'password_hash',
  'role',
  'status',
  'email_verified_at',
  'job_title',
  'department',
  'location',
  'phone',
  'bio',
  'skills',
  'avatar_url',
  'manager_id',
  'timezone',
  'locale',
  'sort_name',
  'search_text',
  'created_at',
  'updated_at',
];
const SELECT = `SELECT ${COLUMNS.map((c) => `"u"."${c}" AS "u_${c}"`).join(', ')} FROM "users" "u"`;
// visibleUsers() for an ACTIVE MEMBER, then the directory's own conditions.
const VISIBLE = `("u"."id" = $1 OR "u"."status" <> 'PENDING') AND "u"."status" = 'ACTIVE'`;
const SEARCH = (n) => `"u"."search_vector" @@ to_tsquery('simple', $${n})`;
// UsersService.directory with a search: first the matches from the GIN index, capped at 5001 …
const MATCHES = `SELECT "u"."id" AS "id" FROM "users" "u" WHERE ${VISIBLE} AND ${SEARCH(2)} LIMIT 5001`;
// … then, when there are at most 5000, the page sorted from them (else the walk along the name order).
const FROM_MATCHES = (n) => `"u"."id" = ANY($${n})`;
const DEPARTMENT = (n) => `lower("u"."department") = lower($${n})`;
const AFTER = (n) => `("u"."sort_name", "u"."id") > ($${n}, $${n + 1})`;
const PAGE = `ORDER BY "u"."sort_name" ASC, "u"."id" ASC LIMIT 21`;

function cases(viewerId, cursor, few) {
  return [
    {
      name: 'step 1: capped matches of "zo"',
      sql: MATCHES,
      params: [viewerId, 'zo:*'],
      wants: ['users_search_idx'],
    },
    {
      name: 'step 1: capped matches of "mar" (many: the walk follows)',
      sql: MATCHES,
      params: [viewerId, 'mar:*'],
      wants: ['users_search_idx'],
    },
    {
      name: 'step 2: page of "zo" sorted from its matches',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} AND ${FROM_MATCHES(3)} ${PAGE}`,
      params: [viewerId, 'zo:*', few.zo],
      wants: ['users_pkey', 'users_search_idx'],
    },
    {
      name: 'step 2: page of "wil" sorted from its matches',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} AND ${FROM_MATCHES(3)} ${PAGE}`,
      params: [viewerId, 'wil:*', few.wil],
      wants: ['users_pkey', 'users_search_idx'],
    },
    {
      name: 'prefix "mar"',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} ${PAGE}`,
      params: [viewerId, 'mar:*'],
      wants: ['users_search_idx', 'users_directory_idx'],
    },
    {
      name: 'two words "mar dup"',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} ${PAGE}`,
      params: [viewerId, 'mar:* & dup:*'],
      wants: ['users_search_idx', 'users_directory_idx'],
    },
    // Names sort by first name: people called Zoë are all at the end of users_directory_idx.
    {
      name: 'prefix "zo" walked along the name order (what step 1 avoids: its matches sort last)',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} ${PAGE}`,
      params: [viewerId, 'zo:*'],
      wants: ['users_search_idx', 'users_directory_idx'],
    },
    {
      name: 'prefix "wil" (rarer, sorts late)',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} ${PAGE}`,
      params: [viewerId, 'wil:*'],
      wants: ['users_search_idx', 'users_directory_idx'],
    },
    {
      name: 'one letter "m" (worst prefix)',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} ${PAGE}`,
      params: [viewerId, 'm:*'],
      wants: ['users_search_idx', 'users_directory_idx'],
    },
    {
      name: 'no query, first page',
      sql: `${SELECT} WHERE ${VISIBLE} ${PAGE}`,
      params: [viewerId],
      wants: ['users_directory_idx'],
    },
    {
      name: 'no query, keyset cursor (middle)',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${AFTER(2)} ${PAGE}`,
      params: [viewerId, ...cursor],
      wants: ['users_directory_idx'],
    },
    {
      name: 'department "Engineering"',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${DEPARTMENT(2)} ${PAGE}`,
      params: [viewerId, 'Engineering'],
      wants: ['users_department_idx'],
    },
    {
      name: 'department "Data" (small), keyset cursor',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${DEPARTMENT(2)} AND ${AFTER(3)} ${PAGE}`,
      params: [viewerId, 'Data', ...cursor],
      wants: ['users_department_idx'],
    },
    {
      name: 'department "Sales" + prefix "mar"',
      sql: `${SELECT} WHERE ${VISIBLE} AND ${SEARCH(2)} AND ${DEPARTMENT(3)} ${PAGE}`,
      params: [viewerId, 'mar:*', 'Sales'],
      wants: ['users_search_idx', 'users_department_idx'],
    },
    {
      name: 'totalCount of prefix "mar"',
      sql: `SELECT COUNT(1) AS "cnt" FROM "users" "u" WHERE ${VISIBLE} AND ${SEARCH(2)}`,
      params: [viewerId, 'mar:*'],
      wants: ['users_search_idx'],
    },
    {
      name: 'totalCount, no query',
      sql: `SELECT COUNT(1) AS "cnt" FROM "users" "u" WHERE ${VISIBLE}`,
      params: [viewerId],
      wants: [],
    },
  ];
}

// --- run ----------------------------------------------------------------------------------------

async function main() {
  requireBuild('dist/apps/cli/main.js');
  log(`directory-explain: database ${DB}, ${USERS} users, ${RUNS} runs per query`);
  await freshDatabase(DB);
  const db = await connect(DB);
  try {
    let t = Date.now();
    await db.query('ALTER TABLE users ALTER COLUMN search_vector DROP NOT NULL');
    await db.query(FILL);
    await db.query(`UPDATE users SET search_vector = to_tsvector('simple', search_text)`);
    await db.query('ALTER TABLE users ALTER COLUMN search_vector SET NOT NULL');
    log(`filled ${USERS} users in ${Date.now() - t} ms`);
    t = Date.now();
    await db.query('VACUUM ANALYZE users');
    log(`VACUUM ANALYZE in ${Date.now() - t} ms`);

    const stats = (
      await db.query(`SELECT count(*)::int AS users, count(*) FILTER (WHERE status = 'ACTIVE')::int AS active,
                             count(*) FILTER (WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', 'mar:*'))::int AS mar,
                             count(*) FILTER (WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', 'mar:* & dup:*'))::int AS mar_dup,
                             count(*) FILTER (WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', 'm:*'))::int AS m,
                             count(*) FILTER (WHERE lower(department) = 'engineering')::int AS engineering,
                             count(*) FILTER (WHERE lower(department) = 'data')::int AS data,
                             pg_size_pretty(pg_relation_size('users')) AS heap,
                             pg_size_pretty(pg_relation_size('users_search_idx')) AS search_idx,
                             pg_size_pretty(pg_relation_size('users_directory_idx')) AS directory_idx
                        FROM users`)
    ).rows[0];
    const sample = (
      await db.query(
        `SELECT id, sort_name, search_text FROM users WHERE status = 'ACTIVE' ORDER BY sort_name, id LIMIT 3 OFFSET 40000`,
      )
    ).rows;
    const viewerId = sample[0].id;
    const cursor = [sample[1].sort_name, sample[1].id];
    console.log(`# data\n${JSON.stringify(stats)}\n# e.g. ${JSON.stringify(sample[2])}\n`);

    const few = {};
    for (const [key, prefix] of [
      ['zo', 'zo:*'],
      ['wil', 'wil:*'],
    ]) {
      few[key] = (await db.query(MATCHES, [viewerId, prefix])).rows.map((r) => r.id);
      console.log(
        `# "${key}" has ${few[key].length} matches${few[key].length > 5000 ? ' (many: walk)' : ' (few: sorted from them)'}`,
      );
    }
    const summary = [];
    for (const c of cases(viewerId, cursor, few)) {
      const e = await explain(db, c.sql, c.params, RUNS);
      const indexes = new Set(e.indexes);
      const seqScan = e.seqScans.length > 0;
      const ms = e.medianMs;
      const text = e.text;
      const usesIndex = c.wants.length === 0 || c.wants.some((name) => indexes.has(name));
      const verdict =
        !usesIndex || (seqScan && c.wants.length) ? 'NO INDEX' : ms > SLOW_MS ? 'SLOW' : 'ok';
      console.log(`## ${c.name}  [${verdict}, median ${ms} ms]\n${text}\n`);
      summary.push({
        query: c.name,
        medianMs: ms,
        runsMs: e.runsMs,
        rows: e.rows,
        indexes: [...indexes],
        seqScan,
        verdict,
      });
    }
    const flagged = summary.filter((r) => r.verdict !== 'ok').map((r) => r.query);
    console.log('# summary');
    console.log(
      JSON.stringify(
        {
          users: USERS,
          runs: RUNS,
          slowMs: SLOW_MS,
          postgres: (await db.query('SHOW server_version')).rows[0].server_version,
          results: summary,
          flagged,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.end().catch(() => undefined);
    if (process.env.KEEP !== '1') await dropDatabase(DB);
  }
}

main().catch((e) => {
  log(`directory-explain: ${e.stack ?? e}`);
  process.exitCode = 1;
});
