import { useId, useRef, useState, type DragEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { session } from '../../app';

export interface Upload {
  key: string;
  name: string;
  /** 0..1 */
  progress: number;
  id?: string;
  error?: string;
}

/** POST /api/uploads with XMLHttpRequest, for its upload progress events. */
function send(file: File, onProgress: (p: number) => void): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    const token = session.token();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { id?: string; message?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) resolve({ id: body.id });
      else reject(new Error(body.message ?? `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('network'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

/** The composer's files: picked or dropped, each uploaded at once with its progress. */
export function useUploads() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const patch = (key: string, p: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...p } : u)));
  const add = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = `${file.name}-${Date.now()}-${Math.random()}`;
      setUploads((all) => [...all, { key, name: file.name, progress: 0 }]);
      send(file, (progress) => patch(key, { progress }))
        .then(({ id }) => patch(key, { id, progress: 1 }))
        .catch((e: Error) => patch(key, { error: e.message }));
    }
  };
  return {
    uploads,
    add,
    remove: (key: string) => setUploads((all) => all.filter((u) => u.key !== key)),
    clear: () => setUploads([]),
    busy: uploads.some((u) => !u.id && !u.error),
    ids: uploads.flatMap((u) => (u.id ? [u.id] : [])),
  };
}

export function UploadZone({ uploads }: { uploads: ReturnType<typeof useUploads> }) {
  const intl = useIntl();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) uploads.add(e.dataTransfer.files);
  };
  return (
    <div>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`rounded-md border-2 border-dashed px-3 py-3 text-center text-sm ${over ? 'border-amber-700 bg-amber-50' : 'border-stone-300 text-stone-700'}`}
      >
        <FormattedMessage
          id="posts.upload.drop"
          defaultMessage="Drop files here, or {pick}"
          description="The attachment drop zone; {pick} is the file picker button"
          values={{
            pick: (
              <button
                type="button"
                onClick={() => input.current?.click()}
                className="font-medium text-amber-800 underline focus-visible:outline-2 focus-visible:outline-amber-700"
              >
                <FormattedMessage
                  id="posts.upload.pick"
                  defaultMessage="choose files"
                  description="Opens the file picker"
                />
              </button>
            ),
          }}
        />
        <input
          ref={input}
          id={id}
          type="file"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-label={intl.formatMessage({
            id: 'posts.upload.input',
            defaultMessage: 'Attach files',
            description: 'The hidden file input',
          })}
          onChange={(e) => {
            if (e.target.files?.length) uploads.add(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {uploads.uploads.length > 0 && (
        <ul className="mt-2 space-y-1">
          {uploads.uploads.map((u) => (
            <li key={u.key} className="flex items-center gap-2 text-sm">
              <span className="min-w-0 flex-1 truncate">{u.name}</span>
              {u.error ? (
                <span role="alert" className="text-red-700">
                  <FormattedMessage
                    id="posts.upload.failed"
                    defaultMessage="Upload failed: {reason}"
                    description="An upload was refused"
                    values={{ reason: u.error }}
                  />
                </span>
              ) : (
                <progress
                  value={u.progress}
                  max={1}
                  className="h-2 w-24 accent-amber-800"
                  aria-label={intl.formatMessage(
                    {
                      id: 'posts.upload.progress',
                      defaultMessage: 'Uploading {name}',
                      description: 'Progress bar of an upload',
                    },
                    { name: u.name },
                  )}
                />
              )}
              <button
                type="button"
                onClick={() => uploads.remove(u.key)}
                className="rounded px-2 text-stone-700 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700"
                aria-label={intl.formatMessage(
                  {
                    id: 'posts.upload.remove',
                    defaultMessage: 'Remove {name}',
                    description: 'Removes an attachment from the composer',
                  },
                  { name: u.name },
                )}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
