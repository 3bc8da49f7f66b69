/**
 * A static file server on loopback for download tests: GET {path} answers with `files`' bytes (looked up at each
 * request, so a test may add files later), else `route` may answer, else 404. Every URL asked for is recorded.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function serveFiles(
  files: ReadonlyMap<string, Buffer>,
  route?: (url: string, res: ServerResponse) => boolean,
): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    if (route?.(url, res)) return;
    const body = files.get(url);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
