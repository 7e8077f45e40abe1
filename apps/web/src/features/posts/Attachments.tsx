import { useEffect, useState, type MouseEvent } from 'react';
import { FormattedMessage, FormattedNumber } from 'react-intl';
import { sessionFetch } from '../../app';
import type { PostCardFieldsFragment } from '../../gql/graphql';

type Attachment = PostCardFieldsFragment['attachments'][number];

/** The file's path on this origin (the API names it with its PUBLIC_URL; the app is served beside it). */
const local = (url: string) => {
  const u = new URL(url, location.origin);
  return u.pathname + u.search;
};

/** Files answer only with the Bearer token: fetched, then shown from a blob URL. */
async function blobUrl(url: string): Promise<string> {
  const res = await sessionFetch(local(url));
  if (!res.ok) throw new Error(`${res.status}`);
  return URL.createObjectURL(await res.blob());
}

function InlineImage({ file }: { file: Attachment }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let live = true;
    blobUrl(file.url)
      .then((u) => {
        url = u;
        if (live) setSrc(u);
        else URL.revokeObjectURL(u);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.url]);
  return src ? (
    <img
      src={src}
      alt={file.fileName}
      className="mt-2 max-h-96 max-w-full rounded border border-stone-200"
    />
  ) : (
    <div className="mt-2 h-40 w-full max-w-sm animate-pulse rounded bg-stone-100" />
  );
}

const size = (bytes: number) =>
  bytes >= 1_048_576
    ? { value: bytes / 1_048_576, unit: 'megabyte' }
    : bytes >= 1024
      ? { value: bytes / 1024, unit: 'kilobyte' }
      : { value: bytes, unit: 'byte' };

/** A post's files: a download link for each (with its version), images shown inline. */
export function Attachments({ files }: { files: Attachment[] }) {
  if (!files.length) return null;
  const download = async (e: MouseEvent<HTMLAnchorElement>, file: Attachment) => {
    e.preventDefault();
    const url = await blobUrl(file.url).catch(() => null);
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = file.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <ul className="my-3 space-y-2">
      {files.map((f) => {
        const s = size(f.byteSize);
        return (
          <li key={f.id} className="text-sm">
            <a
              href={local(f.url)}
              onClick={(e) => void download(e, f)}
              className="font-medium break-all text-amber-800 underline"
            >
              {f.fileName}
            </a>{' '}
            <span className="text-stone-600">
              <FormattedMessage
                id="posts.attachment.meta"
                defaultMessage="version {version} · {size}"
                description="An attachment's version number and size"
                values={{
                  version: f.version,
                  size: (
                    <FormattedNumber
                      value={s.value}
                      style="unit"
                      unit={s.unit}
                      unitDisplay="short"
                      maximumFractionDigits={1}
                    />
                  ),
                }}
              />
            </span>
            {f.contentType.startsWith('image/') && <InlineImage file={f} />}
          </li>
        );
      })}
    </ul>
  );
}
