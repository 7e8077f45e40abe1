import { DEFAULT_UPLOAD_TYPES } from '@ruche/config';
import { contentDisposition, sanitizeFileName, sniff, typeProblem } from './upload.rules.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)),
  );

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['/abs/path/photo.png', 'photo.png'],
    ['..', 'file'],
    ['', 'file'],
    [null, 'file'],
    ['.htaccess', 'htaccess'],
    ['a\u0000b\u0007c\r\n.txt', 'abc.txt'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
    ['what?<is>:"this"|*.txt', 'what__is___this___.txt'],
    ['  spaced   out  .txt  ', 'spaced out .txt'],
    ['Élodie – été.pdf', 'Élodie – été.pdf'],
    ['trailing dots...', 'trailing dots'],
  ])('%p → %p', (raw, expected) => expect(sanitizeFileName(raw)).toBe(expected));

  it('keeps at most 200 characters and the extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(300)}.docx`);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('a.docx')).toBe(true);
    expect([...sanitizeFileName('é'.repeat(250))]).toHaveLength(200);
  });
});

describe('sniff', () => {
  it.each([
    [bytes(PNG), 'png'],
    [bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpeg'],
    [bytes('GIF89a', [1, 0]), 'gif'],
    [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'webp'],
    [bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'binary'],
    [bytes('%PDF-1.7\n'), 'pdf'],
    [bytes([0x50, 0x4b, 0x03, 0x04, 20, 0]), 'zip'],
    [bytes('MZ', [0x90, 0, 3, 0]), 'executable'],
    [bytes([0x7f], 'ELF', [2, 1]), 'executable'],
    [bytes('#!/bin/sh\nrm -rf /\n'), 'executable'],
    [bytes('name,age\nAda,36\n'), 'text'],
    [bytes([0xe9, 0x74, 0xe9]), 'text'],
    [bytes('ab', [0], 'cd'), 'binary'],
    [bytes([]), 'text'],
  ])('%#: %p', (head, kind) => expect(sniff(head)).toBe(kind));
});

describe('typeProblem', () => {
  const allowed = DEFAULT_UPLOAD_TYPES;
  it.each([
    ['image/png', bytes(PNG), null],
    ['IMAGE/PNG; x=y', bytes(PNG), null],
    ['image/png', bytes('MZ', [0x90, 0]), 'This file is not a image/png file'],
    ['image/jpeg', bytes(PNG), 'This file is not a image/jpeg file'],
    ['application/pdf', bytes('%PDF-1.4'), null],
    [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      bytes([0x50, 0x4b, 3, 4]),
      null,
    ],
    [
      'application/vnd.oasis.opendocument.text',
      bytes('%PDF-'),
      'This file is not a application/vnd.oasis.opendocument.text file',
    ],
    ['text/plain', bytes('hello'), null],
    ['text/csv', bytes('MZ', [0x90]), 'This file is not a text/csv file'],
    ['text/plain', bytes('a', [0], 'b'), 'This file is not a text/plain file'],
    [
      'application/x-msdownload',
      bytes('MZ'),
      'Files of type application/x-msdownload are not accepted',
    ],
    ['image/svg+xml', bytes('<svg/>'), 'Files of type image/svg+xml are not accepted'],
    ['', bytes('x'), 'Files of type (none) are not accepted'],
  ])('%p', (declared, head, problem) => expect(typeProblem(declared, allowed, head)).toBe(problem));

  it('lets through an allowed type without a signature unless it is a program', () => {
    expect(
      typeProblem('application/x-custom', ['application/x-custom'], bytes([1, 2, 3])),
    ).toBeNull();
    expect(typeProblem('application/x-custom', ['application/x-custom'], bytes('MZ'))).toBe(
      'Programs are not accepted',
    );
  });
});

describe('contentDisposition', () => {
  it.each([
    ['image/png', 'photo.png', `inline; filename="photo.png"; filename*=UTF-8''photo.png`],
    [
      'application/pdf',
      'Été "2025".pdf',
      `attachment; filename="Ete _2025_.pdf"; filename*=UTF-8''%C3%89t%C3%A9%20%222025%22.pdf`,
    ],
    [
      'text/plain',
      '日本.txt',
      `attachment; filename=".txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
    ],
  ])('%s %s', (type, name, header) => expect(contentDisposition(type, name)).toBe(header));
});
