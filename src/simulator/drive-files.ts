import { type Answer, fail, ok } from './api-answer';
import { googleError, notFound } from './google-error';
import type { SimulatedMethod } from './scenario';

/** A file the simulated Drive holds: what was uploaded, so tests can read it back. */
export interface SimulatedDriveFile {
  id: string;
  name: string;
  parents: string[];
  mimeType: string;
  /** The uploaded media (HTML for a Google Doc made from it). */
  content: string;
  contentType: string;
  createdTime: string;
  modifiedTime: string;
  /** 1 at creation, +1 per update of the media. */
  version: number;
}

/** A Drive call matched from its URL, answered against the files. */
export interface DriveCall {
  method: SimulatedMethod;
  resource: string;
  answer(): Answer;
}

const GOOGLE_DOC = 'application/vnd.google-apps.document';

/** The `multipart/related` body googleapis sends: the JSON metadata, then the media. */
export function parseMultipart(
  body: string,
  contentType: string,
): { metadata: Record<string, unknown>; media: string; mediaType: string } | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/related/i.test(contentType) || !boundary) return undefined;
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n');
      const head = part.slice(0, split);
      return {
        type: /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim() ?? '',
        body: part.slice(split + 4).replace(/\r\n$/, ''),
      };
    });
  const [meta, media] = parts;
  if (parts.length !== 2 || !meta || !media || meta.type !== 'application/json') return undefined;
  try {
    const metadata = JSON.parse(meta.body) as unknown;
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
    return { metadata: metadata as Record<string, unknown>, media: media.body, mediaType: media.type };
  } catch {
    return undefined;
  }
}

/** Drive v3's files as the simulator serves them: create (multipart upload), update (media), list. */
export class SimulatedDrive {
  private readonly files = new Map<string, SimulatedDriveFile>();
  private next = 1;

  constructor(
    private readonly folders: () => readonly string[],
    private readonly now: () => Date,
  ) {}

  /** Every file, in creation order. */
  list(): SimulatedDriveFile[] {
    return [...this.files.values()];
  }

  /** Matches `/upload/drive/v3/files[/{id}]` and `/drive/v3/files`; undefined for other paths. */
  route(httpMethod: string, url: URL, body: string, contentType: string): DriveCall | undefined {
    const upload = /^\/upload\/drive\/v3\/files(?:\/([^/]+))?$/.exec(url.pathname);
    if (upload && httpMethod === 'POST' && !upload[1]) {
      return {
        method: 'drive.files.create',
        resource: 'files',
        answer: () => this.create(url, body, contentType),
      };
    }
    if (upload && httpMethod === 'PATCH' && upload[1]) {
      const id = decodeURIComponent(upload[1]);
      return {
        method: 'drive.files.update',
        resource: id,
        answer: () => this.update(id, url, body, contentType),
      };
    }
    if (url.pathname === '/drive/v3/files' && httpMethod === 'GET') {
      return { method: 'drive.files.list', resource: 'files', answer: () => this.search(url) };
    }
    return undefined;
  }

  private create(url: URL, body: string, contentType: string): Answer {
    if (url.searchParams.get('uploadType') !== 'multipart')
      return fail(googleError(400, 'This simulator takes files.create as uploadType=multipart only.'));
    const upload = parseMultipart(body, contentType);
    if (!upload) return fail(googleError(400, 'Malformed multipart body.'));
    const { metadata } = upload;
    const parents = Array.isArray(metadata.parents) ? metadata.parents.map(String) : [];
    const folder = parents[0];
    if (!folder || parents.length !== 1)
      return fail(googleError(400, 'A file must have exactly one parent.'));
    if (!this.folders().includes(folder)) return fail(notFound('drive.files.create', folder));
    if (typeof metadata.name !== 'string' || !metadata.name) return fail(googleError(400, 'Required: name.'));
    const at = this.now().toISOString();
    const id = `sim-doc-${String(this.next++).padStart(4, '0')}`;
    const file: SimulatedDriveFile = {
      id,
      name: metadata.name,
      parents,
      mimeType: typeof metadata.mimeType === 'string' ? metadata.mimeType : upload.mediaType,
      content: upload.media,
      contentType: upload.mediaType,
      createdTime: at,
      modifiedTime: at,
      version: 1,
    };
    this.files.set(id, file);
    return ok(this.view(file, url));
  }

  private update(id: string, url: URL, body: string, contentType: string): Answer {
    const file = this.files.get(id);
    if (!file) return fail(notFound('drive.files.update', id));
    const type = url.searchParams.get('uploadType');
    if (type === 'multipart') {
      const upload = parseMultipart(body, contentType);
      if (!upload) return fail(googleError(400, 'Malformed multipart body.'));
      if (typeof upload.metadata.name === 'string') file.name = upload.metadata.name;
      Object.assign(file, { content: upload.media, contentType: upload.mediaType });
    } else if (type === 'media') {
      Object.assign(file, { content: body, contentType: contentType.split(';')[0]?.trim() ?? '' });
    } else {
      return fail(googleError(400, 'files.update with new contents needs uploadType=media or multipart.'));
    }
    file.version += 1;
    file.modifiedTime = this.now().toISOString();
    return ok(this.view(file, url));
  }

  /** `q` as the postmortem job writes it: `name = '…' and '<folder>' in parents and trashed = false`. */
  private search(url: URL): Answer {
    const q = url.searchParams.get('q') ?? '';
    const literal = (pattern: RegExp) => pattern.exec(q)?.[1]?.replace(/\\(.)/g, '$1');
    const name = literal(/name = '((?:[^'\\]|\\.)*)'/);
    const folder = literal(/'((?:[^'\\]|\\.)*)' in parents/);
    const files = this.list().filter(
      (f) => (name === undefined || f.name === name) && (folder === undefined || f.parents.includes(folder)),
    );
    return ok({ files: files.map((f) => this.view(f, url)) });
  }

  private view(file: SimulatedDriveFile, _url: URL) {
    return {
      kind: 'drive#file',
      id: file.id,
      name: file.name,
      mimeType: file.mimeType === GOOGLE_DOC ? GOOGLE_DOC : file.mimeType,
      webViewLink: `https://docs.google.com/document/d/${file.id}/edit?usp=drivesdk`,
    };
  }
}
