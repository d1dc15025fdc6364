// Answers https requests for a few real host names (TradingView's, a trader's redirect URL)
// with pages the test chooses, for a Firefox that uses this as its https proxy.
//
// Chromium's tests intercept requests inside the browser; WebDriver cannot. So Firefox sends
// every https request here as CONNECT host:443. For a host it knows, the proxy itself plays the
// server: it answers the CONNECT, speaks TLS with a throwaway self-signed certificate (the
// session accepts it through acceptInsecureCerts) and serves the page. The real host name stays
// in the address bar, so the manifest's own match patterns and Halo's URL checks see it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';

/**
 * Starts the proxy on a free loopback port for `pages`, `{ host: html }`; resolves to
 * { proxyPort, served, close() }, `served` listing every URL fetched through it.
 */
export async function serveHttpsPages(pages) {
  const hosts = Object.keys(pages);
  const { key, cert } = selfSignedCertificate(hosts);
  const served = [];
  const server = createServer((request, response) => {
    const host = (request.headers.host ?? '').replace(/:443$/, '');
    served.push(`https://${host}${request.url}`);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(pages[host] ?? '');
  });

  const proxy = createServer((request, response) => {
    response.writeHead(403);
    response.end();
  });
  // Anything else Firefox tries (updates, safe browsing) is refused: the test stays offline.
  proxy.on('connect', (request, socket) => {
    const [host, port] = request.url.split(':');
    if (port !== '443' || !hosts.includes(host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    server.emit('connection', new TLSSocket(socket, { isServer: true, key, cert }));
  });

  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    proxyPort: proxy.address().port,
    served,
    close() {
      proxy.close();
      proxy.closeAllConnections();
      server.closeAllConnections();
    },
  };
}

/** A fresh key and a one-day self-signed certificate for `hosts`, made with openssl. */
function selfSignedCertificate(hosts) {
  const dir = mkdtempSync(join(tmpdir(), 'halo-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    const names = hosts.map((host) => `DNS:${host}`).join(',');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${hosts[0]}`,
      '-addext', `subjectAltName=${names}`,
    ], { stdio: 'ignore' });
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
