import { randomBytes, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataSource } from 'typeorm';
import { AppError } from '@ruche/common';
import { QueuesService } from '@ruche/queue';
import { AttachmentReadPolicy, AttachmentsService } from '@ruche/storage';
import { Harness } from './harness.js';
import { someone, type Someone } from './people.js';
import { TestS3 } from './s3.js';

/**
 * The upload and download tests, run against one storage driver: test/files.e2e.ts (the local
 * disk) and test/files.s3.e2e.ts (an S3 server of the test's own) call it.
 */
export function filesSuite(driver: 'local' | 's3'): void {
  let h: Harness;
  let alice: Someone, bob: Someone;

  let s3: TestS3 | undefined;

  const MAX = 1024;
  beforeAll(async () => {
    s3 = driver === 's3' ? await new TestS3().start() : undefined;
    h = await Harness.start({
      worker: true,
      env: { UPLOAD_MAX_BYTES: String(MAX), ...s3?.env },
    });
    [alice, bob] = await Promise.all([
      someone(h, 'MEMBER', 'ACTIVE', 'Alice Files'),
      someone(h, 'MEMBER', 'ACTIVE', 'Bob Files'),
    ]);
  });
  afterAll(async () => {
    await h?.stop();
    await s3?.stop();
  });

  const PNG = Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...randomBytes(200),
  ]);
  const PDF = new TextEncoder().encode('%PDF-1.7\n% a tiny document\n');
  const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, ...randomBytes(100)]);

  interface Uploaded {
    id: string;
    fileName: string;
    contentType: string;
    byteSize: number;
    url: string;
    version: number;
  }

  async function upload(
    token: string | undefined,
    bytes: Uint8Array | string,
    name: string,
    type: string,
  ) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    const res = await fetch(`${h.url}/api/uploads`, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as Uploaded & { code?: string; field?: string; message?: string },
    };
  }

  async function uploaded(
    who: Someone,
    bytes: Uint8Array | string,
    name: string,
    type: string,
  ): Promise<Uploaded> {
    const res = await upload(who.token, bytes, name, type);
    expect(res.status).toBe(201);
    return res.body;
  }

  async function download(token: string | undefined, id: string) {
    const res = await fetch(`${h.url}/api/files/${encodeURIComponent(id)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      status: res.status,
      headers: res.headers,
      bytes,
      text: new TextDecoder().decode(bytes),
    };
  }

  /** After a refusal: the API still answers, and still takes a good upload. */
  async function stillServing(): Promise<void> {
    expect((await fetch(`${h.url}/health/live`)).status).toBe(200);
    const me = await someone(h);
    const ok = await upload(me.token, 'still here', 'ok.txt', 'text/plain');
    expect(ok.status).toBe(201);
    expect((await download(me.token, ok.body.id)).text).toBe('still here');
  }

  /** The names of what is kept: the store's keys (their last part), and files being received. */
  const stored = async (): Promise<string[]> => {
    const dir = h.config.STORAGE_DIR;
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name);
    return s3 ? [...files, ...(await s3.keys()).map((k) => basename(k))] : files;
  };

  describe('POST /api/uploads and GET /api/files/:id', () => {
    it('keeps a file for its uploader and gives the same bytes back, with safe headers', async () => {
      const png = await uploaded(alice, PNG, 'photo.png', 'image/png');
      expect(png).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        fileName: 'photo.png',
        contentType: 'image/png',
        byteSize: PNG.length,
        url: `http://ruche.test/api/files/${png.id}`,
        version: 1,
      });
      const got = await download(alice.token, png.id);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.bytes).equals(Buffer.from(PNG))).toBe(true);
      expect(got.headers.get('content-type')).toMatch(/^image\/png/);
      expect(got.headers.get('content-length')).toBe(String(PNG.length));
      expect(got.headers.get('content-disposition')).toBe(
        `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
      );
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('cache-control')).toMatch(/^private/);

      const pdf = await uploaded(alice, PDF, 'Été 2025.pdf', 'application/pdf');
      expect(pdf.fileName).toBe('Été 2025.pdf');
      const doc = await download(alice.token, pdf.id);
      expect(doc.text).toBe(new TextDecoder().decode(PDF));
      expect(doc.headers.get('content-disposition')).toBe(
        `attachment; filename="Ete 2025.pdf"; filename*=UTF-8''%C3%89t%C3%A9%202025.pdf`,
      );
    });

    it('shows a file to no one else before it is attached: 404 alike for unreadable, unknown and malformed ids', async () => {
      const file = await uploaded(alice, 'secret plans', 'plans.txt', 'text/plain');
      const refusals = await Promise.all([
        download(bob.token, file.id),
        download(bob.token, randomUUID()),
        download(bob.token, 'not-an-id'),
        download(bob.token, "1' OR '1'='1"),
      ]);
      for (const r of refusals) {
        expect(r.status).toBe(404);
        expect(r.text).toBe(refusals[0].text);
        expect(r.text).not.toContain('secret');
      }
      expect(JSON.parse(refusals[0].text)).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'No such file',
      });
      await stillServing();
    });

    it('wants a valid Bearer token from an ACTIVE account', async () => {
      const file = await uploaded(alice, 'hello', 'hello.txt', 'text/plain');
      expect((await upload(undefined, 'x', 'x.txt', 'text/plain')).status).toBe(401);
      expect((await upload('not.a.jwt', 'x', 'x.txt', 'text/plain')).status).toBe(401);
      expect((await download(undefined, file.id)).status).toBe(401);
      const res = await fetch(`${h.url}/api/files/${file.id}`, {
        headers: { authorization: 'Basic abc' },
      });
      expect(res.status).toBe(401);
      const pending = await someone(h, 'MEMBER', 'PENDING');
      expect((await upload(pending.token, 'x', 'x.txt', 'text/plain')).status).toBe(403);
      await stillServing();
    });

    it('refuses a file over UPLOAD_MAX_BYTES with 413, keeping nothing of it', async () => {
      const me = await someone(h);
      const before = await stored();
      const res = await upload(me.token, 'x'.repeat(MAX + 1), 'big.txt', 'text/plain');
      expect(res.status).toBe(413);
      expect(await stored()).toEqual(before);
      expect(
        (
          await h.db.query('SELECT count(*)::int AS n FROM attachments WHERE uploader_id = $1', [
            me.id,
          ])
        ).rows[0].n,
      ).toBe(0);
      // Exactly the limit passes.
      expect((await upload(me.token, 'x'.repeat(MAX), 'max.txt', 'text/plain')).status).toBe(201);
      await stillServing();
    });

    it.each([
      [
        'a program',
        EXE,
        'setup.exe',
        'application/x-msdownload',
        'Files of type application/x-msdownload are not accepted',
      ],
      [
        'svg (scripts)',
        '<svg onload="alert(1)"/>',
        'x.svg',
        'image/svg+xml',
        'Files of type image/svg+xml are not accepted',
      ],
      ['a renamed .exe as png', EXE, 'cat.png', 'image/png', 'This file is not a image/png file'],
      [
        'a pdf declared as jpeg',
        PDF,
        'cat.jpg',
        'image/jpeg',
        'This file is not a image/jpeg file',
      ],
      [
        'a program declared as text',
        EXE,
        'notes.txt',
        'text/plain',
        'This file is not a text/plain file',
      ],
      [
        'no declared type',
        'abc',
        'blob',
        '',
        'Files of type application/octet-stream are not accepted',
      ],
    ])('refuses %s with 415', async (_, bytes, name, type, message) => {
      const me = await someone(h);
      const res = await upload(me.token, bytes, name, type);
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ statusCode: 415, code: 'BAD_USER_INPUT', field: 'file', message });
      expect(
        (
          await h.db.query('SELECT count(*)::int AS n FROM attachments WHERE uploader_id = $1', [
            me.id,
          ])
        ).rows[0].n,
      ).toBe(0);
      await stillServing();
    });

    it('answers 400 when no file comes in the field "file"', async () => {
      const form = new FormData();
      form.append('other', new Blob(['x'], { type: 'text/plain' }), 'x.txt');
      const wrongField = await fetch(`${h.url}/api/uploads`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(wrongField.status).toBe(400);
      const none = await fetch(`${h.url}/api/uploads`, {
        method: 'POST',
        body: new FormData(),
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(none.status).toBe(400);
      const json = await fetch(`${h.url}/api/uploads`, {
        method: 'POST',
        body: JSON.stringify({ file: 'x' }),
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      });
      expect(json.status).toBe(400);
      const two = new FormData();
      two.append('file', new Blob(['a'], { type: 'text/plain' }), 'a.txt');
      two.append('file', new Blob(['b'], { type: 'text/plain' }), 'b.txt');
      const twoFiles = await fetch(`${h.url}/api/uploads`, {
        method: 'POST',
        body: two,
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(twoFiles.status).toBe(400);
      const broken = await fetch(`${h.url}/api/uploads`, {
        method: 'POST',
        body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunfinished',
        headers: {
          authorization: `Bearer ${alice.token}`,
          'content-type': 'multipart/form-data; boundary=xyz',
        },
      });
      expect(broken.status).toBe(400);
      await stillServing();
    });

    it('sanitizes file names and stores the bytes under a random key', async () => {
      const me = await someone(h);
      const traversal = await uploaded(me, 'x', '../../../etc/passwd.txt', 'text/plain');
      expect(traversal.fileName).toBe('passwd.txt');
      const windows = await uploaded(me, 'x', '..\\..\\boot.ini.txt', 'text/plain');
      expect(windows.fileName).toBe('boot.ini.txt');
      const bidi = await uploaded(me, 'x', 'invoice\u202Etxt.exe.txt', 'text/plain');
      expect(bidi.fileName).toBe('invoicetxt.exe.txt');
      const long = await uploaded(me, 'x', `${'n'.repeat(400)}.txt`, 'text/plain');
      expect([...long.fileName]).toHaveLength(200);
      expect(long.fileName.endsWith('.txt')).toBe(true);
      const files = await stored();
      expect(files.every((f) => /^[0-9a-f]{32}$/.test(f))).toBe(true);
    });

    it('strips NUL and other control characters from a file name, however it is written', async () => {
      const me = await someone(h);
      const multipart = (disposition: string) =>
        fetch(`${h.url}/api/uploads`, {
          method: 'POST',
          body: `--xyz\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n`,
          headers: {
            authorization: `Bearer ${me.token}`,
            'content-type': 'multipart/form-data; boundary=xyz',
          },
        });
      // RFC 5987 percent-encoding reaches the name: the characters are dropped, the file kept.
      const encoded = await multipart("filename*=UTF-8''enc%00%01na%07me%1B.txt");
      expect(encoded.status).toBe(201);
      const kept = (await encoded.json()) as Uploaded;
      expect(kept.fileName).toBe('encname.txt');
      expect((await download(me.token, kept.id)).headers.get('content-disposition')).toBe(
        `attachment; filename="encname.txt"; filename*=UTF-8''encname.txt`,
      );
      // The raw bytes in a part header (what FormData sends for such a name) never get that far:
      // the multipart parser refuses the header, 400.
      const raw = await multipart('filename="raw\u0000\u0001name.txt"');
      expect(raw.status).toBe(400);
      const formed = await upload(me.token, 'x', 'nul\u0000name.txt', 'text/plain');
      expect(formed.status).toBe(400);
      await stillServing();
    });

    it('limits uploads per user and minute (429 with Retry-After), counted before the body is read', async () => {
      const me = await someone(h);
      const results = [];
      for (let i = 0; i < 21; i++)
        results.push(await upload(me.token, `n${i}`, `n${i}.txt`, 'text/plain'));
      expect(results.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(results[20].status).toBe(429);
      expect(results[20].body.code).toBe('RATE_LIMITED');
      expect(Number(results[20].headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await upload(alice.token, 'other people go on', 'ok.txt', 'text/plain')).status).toBe(
        201,
      );
    });
  });

  describe('AttachmentsService.attach (called by createPost inside its transaction)', () => {
    const attach = (uploaderId: string, ids: string[], postId: string) =>
      h.api
        .get(DataSource)
        .transaction((m) => h.api.get(AttachmentsService).attach(m, uploaderId, ids, postId));
    const refusal = (work: Promise<unknown>) =>
      work.then(
        () => null,
        (e: unknown) => (e instanceof AppError ? e.extensions : e),
      );

    it('makes version 2 of a name already on the post and keeps version 1', async () => {
      const me = await someone(h);
      const postId = randomUUID(); // no posts table here: post_id has no foreign key
      const a1 = await uploaded(me, 'first draft', 'plan.txt', 'text/plain');
      const b1 = await uploaded(me, 'b', 'budget.csv', 'text/csv');
      const first = await attach(me.id, [a1.id, b1.id], postId);
      expect(first.map((f) => [f.fileName, f.version])).toEqual([
        ['plan.txt', 1],
        ['budget.csv', 1],
      ]);

      const a2 = await uploaded(me, 'second draft', 'plan.txt', 'text/plain');
      const a3 = await uploaded(me, 'third draft', 'plan.txt', 'text/plain');
      const second = await attach(me.id, [a2.id, a3.id], postId);
      expect(second.map((f) => [f.id, f.version])).toEqual([
        [a2.id, 2],
        [a3.id, 3],
      ]);

      // Every version stays downloadable by its uploader, with its own bytes.
      expect((await download(me.token, a1.id)).text).toBe('first draft');
      expect((await download(me.token, a3.id)).text).toBe('third draft');

      // The post's list: by file name, the newest version of a name first, all versions kept.
      const ctx = { viewer: null, ip: '', requestId: '', loaders: new Map() };
      const loader = h.api.get(AttachmentsService).forPosts(ctx);
      const [list, none] = await Promise.all([loader.load(postId), loader.load(randomUUID())]);
      expect(list.map((f) => [f.fileName, f.version])).toEqual([
        ['budget.csv', 1],
        ['plan.txt', 3],
        ['plan.txt', 2],
        ['plan.txt', 1],
      ]);
      expect(list[0].url).toBe(`http://ruche.test/api/files/${b1.id}`);
      expect(none).toEqual([]);

      // The same name on another post starts again at 1.
      const other = await uploaded(me, 'elsewhere', 'plan.txt', 'text/plain');
      expect((await attach(me.id, [other.id], randomUUID()))[0].version).toBe(1);
    });

    it("refuses someone else's upload, an attached one, unknown and malformed ids: BAD_USER_INPUT on attachmentIds", async () => {
      const me = await someone(h);
      const mine = await uploaded(me, 'm', 'm.txt', 'text/plain');
      const theirs = await uploaded(bob, 't', 't.txt', 'text/plain');
      const postId = randomUUID();
      const expected = { code: 'BAD_USER_INPUT', field: 'attachmentIds' };
      expect(await refusal(attach(me.id, [mine.id, theirs.id], postId))).toMatchObject(expected);
      expect(await refusal(attach(me.id, [randomUUID()], postId))).toMatchObject(expected);
      expect(await refusal(attach(me.id, ['nope'], postId))).toMatchObject(expected);
      // The refused transaction attached nothing: it still attaches now, once.
      expect((await attach(me.id, [mine.id, mine.id], postId)).map((f) => f.version)).toEqual([1]);
      expect(await refusal(attach(me.id, [mine.id], randomUUID()))).toMatchObject(expected);
      expect(await attach(me.id, [], postId)).toEqual([]);
    });

    it('serves an attached file to the readers the policy names, and still to no one else', async () => {
      const me = await someone(h);
      const file = await uploaded(me, 'for the team', 'team.txt', 'text/plain');
      const postId = randomUUID();
      await attach(me.id, [file.id], postId);
      // The default policy (no posts yet) leaves files to their uploaders.
      expect((await download(bob.token, file.id)).status).toBe(404);
      expect((await download(me.token, file.id)).status).toBe(200);

      const policy = h.api.get(AttachmentReadPolicy);
      const asked: string[][] = [];
      const original = policy.readablePostIds.bind(policy);
      policy.readablePostIds = (viewer, ids) => {
        asked.push(ids);
        return Promise.resolve(
          new Set(viewer.id === bob.id ? ids.filter((id) => id === postId) : []),
        );
      };
      try {
        const got = await download(bob.token, file.id);
        expect(got.status).toBe(200);
        expect(got.text).toBe('for the team');
        expect(asked).toEqual([[postId]]);
        expect((await download(alice.token, file.id)).status).toBe(404);
        // An unattached upload is never the policy's to grant.
        const loose = await uploaded(me, 'draft', 'draft.txt', 'text/plain');
        expect((await download(bob.token, loose.id)).status).toBe(404);
      } finally {
        policy.readablePostIds = original;
      }
    });
  });

  describe('cleanup', () => {
    it('removes unattached uploads older than a day, rows and bytes, and keeps attached ones', async () => {
      const me = await someone(h);
      const stale = await uploaded(me, 'old', 'old.txt', 'text/plain');
      const fresh = await uploaded(me, 'new', 'new.txt', 'text/plain');
      const kept = await uploaded(me, 'kept', 'kept.txt', 'text/plain');
      await h.api
        .get(DataSource)
        .transaction((m) =>
          h.api.get(AttachmentsService).attach(m, me.id, [kept.id], randomUUID()),
        );
      await h.db.query(
        `UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`,
        [[stale.id, kept.id]],
      );
      const [{ storage_key: key }] = (
        await h.db.query('SELECT storage_key FROM attachments WHERE id = $1', [stale.id])
      ).rows;

      expect(await h.api.get(AttachmentsService).removeStale()).toBe(1);
      expect((await download(me.token, stale.id)).status).toBe(404);
      expect((await download(me.token, fresh.id)).status).toBe(200);
      expect((await download(me.token, kept.id)).status).toBe(200);
      expect(await stored()).not.toContain(String(key).split('/')[1]);
    });

    it('is a repeatable job the worker schedules and handles', async () => {
      const schedulers = await h.api.get(QueuesService).get('storage-cleanup').getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every])).toEqual([
        ['storage-cleanup-hourly', 3600000],
      ]);
    });
  });
}
